using Marten;
using Nova.Commands.Hosts;
using Nova.Commands.Quotas;
using Nova.Commands.ServerGroups;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Deleting;

/// <summary>What a deleted server gives back, in the transaction that records its deletion: its host claim, its quota usage and its place in a server group.</summary>
public static class ServerRemoval
{
    public static async Task GiveBack(IDocumentSession session, Server server, CancellationToken ct)
    {
        if (server.Host is not null) await HostClaims.Release(session, server.Host, server.Id, buildFailed: false, ct);
        await ProjectQuotas.Release(session, server.ProjectId, server.Id, ct);
        if (server.GroupId is { } group) await ServerGroupMembership.Leave(session, group, server.Id, ct);
    }
}
