using Marten;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Hosts;
using Nova.Commands.Quotas;
using Nova.Commands.ServerGroups;
using Nova.Commands.Servers.Shelving;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Deleting;

/// <summary>
/// What a deleted server gives back, in the transaction that records its deletion: its host claim, its quota usage,
/// its place in a server group, the image a shelved server was stored as, and what a migration holds.
/// </summary>
public static class ServerRemoval
{
    public static async Task GiveBack(IDocumentSession session, IConfiguration config, Server server, CancellationToken ct)
    {
        if (server.ShelveImageId is { } shelveImage) ShelveImages.Delete(session, config, shelveImage);
        // The one lock order of every writer: project usage, then server group, then hosts (by name).
        await ProjectQuotas.Release(session, server.ProjectId, server.Id, ct);
        if (server.GroupId is { } group) await ServerGroupMembership.Leave(session, group, server.Id, ct);
        // A server deleted mid-migration holds a claim on both hosts; its transfer image goes too.
        if (server.Migration is { } m) ShelveImages.Delete(session, config, m.TransferImageId);
        var hosts = new[] { server.Host, server.Migration?.SourceHost, server.Migration?.TargetHost }
            .OfType<string>().Distinct().Order(StringComparer.Ordinal);
        foreach (var host in hosts) await HostClaims.Release(session, host, server.Id, buildFailed: false, ct);
    }
}
