using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers;

/// <summary>
/// The one rule for "may this caller know the server exists": as in Nova, another project's server (or a
/// deleted one) is 404 whatever the caller's role, never a 403 that would tell it exists.
/// </summary>
public static class ServerVisibility
{
    public const string ShowRule = "os_compute_api:servers:show";

    /// <summary>Throws <see cref="ServerNotFound"/> unless the server exists, is not <paramref name="gone"/>, and <paramref name="rule"/> lets the caller read its project.</summary>
    public static void RequireVisible(this Caller caller, Guid serverId, string? ownerProject, bool gone = false, string rule = ShowRule)
    {
        if (ownerProject is null || gone || !caller.Allows(rule, ownerProject)) throw new ServerNotFound(serverId);
    }

    /// <summary>The write side's server: deleted servers are gone.</summary>
    public static Server RequireVisible(this Caller caller, Guid serverId, Server? server)
    {
        caller.RequireVisible(serverId, server?.ProjectId, server?.VmState == VmState.Deleted);
        return server!;
    }
}
