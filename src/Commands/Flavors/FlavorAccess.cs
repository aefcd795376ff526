using Nova.Commands.Requests;
using Nova.Store.Flavors;

namespace Nova.Commands.Flavors;

/// <summary>
/// Who may see and boot a flavor, as Nova's flavor queries decide it: an admin (<c>context_is_admin</c>) sees every
/// flavor; anyone else the public ones and the private ones whose access list names their project. To them any other
/// private flavor does not exist (Nova's FlavorNotFound: 404 on show, 400 on boot or resize).
/// </summary>
public static class FlavorAccess
{
    /// <summary>Nova's <c>context.is_admin</c>, which its flavor queries test (not a flavor policy).</summary>
    public static bool SeesAllFlavors(this Caller caller) => caller.Allows("context_is_admin");

    public static bool Sees(this Caller caller, FlavorRecord flavor) =>
        flavor.IsPublic || caller.SeesAllFlavors() || flavor.Projects.Contains(caller.ProjectId);

    /// <summary>Nova's FlavorNotFound wording, the same for a flavor that is missing and one the caller may not see.</summary>
    public static NotFound NotFound(string id) => new($"Flavor {id} could not be found.");
}
