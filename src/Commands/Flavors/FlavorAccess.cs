using Nova.Commands.Requests;
using Nova.Store.Flavors;

namespace Nova.Commands.Flavors;

/// <summary>
/// Who may see and boot a flavor. This control plane keeps no per-project access lists, so a private flavor is the
/// admins' alone (<c>os_compute_api:os-flavor-access</c>); to anyone else it does not exist (Nova's FlavorNotFound).
/// </summary>
public static class FlavorAccess
{
    public const string PrivateFlavorsPolicy = "os_compute_api:os-flavor-access";

    public static bool SeesPrivateFlavors(this Caller caller) => caller.Allows(PrivateFlavorsPolicy);

    public static bool Sees(this Caller caller, FlavorRecord flavor) => flavor.IsPublic || caller.SeesPrivateFlavors();
}
