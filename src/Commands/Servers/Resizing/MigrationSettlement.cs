using Marten;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Hosts;
using Nova.Commands.Quotas;
using Nova.Commands.Servers.Shelving;
using Nova.Domain.Quotas;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Resizing;

/// <summary>
/// What the end of a resize or migration gives back, in the transaction that records it: the claim of the host the
/// server leaves (or, on one host, the claim shrunk to the flavor it keeps), the quota counted for the larger flavor,
/// and the transfer image. Every writer that can record an end (host reports, the scheduler, deadlines, confirm and
/// revert requests, deletes) calls this one place, so each claim moves exactly once.
/// </summary>
public static class MigrationSettlement
{
    public static async Task Apply(IDocumentSession session, IConfiguration config, Server before, IReadOnlyList<object> events,
        CancellationToken ct)
    {
        if (before.Migration is not { } m) return;
        // The one lock order of every writer: project usage, then hosts (by name).
        if (events.OfType<ServerResizeConfirmed>().Any())
        {
            await Settle(session, before, m.NewFlavor.Vcpus, m.NewFlavor.RamMb, ct);
            if (m.SameHost) await HostClaims.SettleResize(session, m.SourceHost, before.Id, m.NewFlavor.Resources, ct);
            else await HostClaims.Release(session, m.SourceHost, before.Id, buildFailed: false, ct);
            ShelveImages.Delete(session, config, m.TransferImageId);
        }
        else if (events.OfType<ServerResizeRolledBackOnTarget>().Any()
                 || events.OfType<ServerResizeFailed>().FirstOrDefault() is { TargetHost: not null })
        {
            await Settle(session, before, m.OldFlavor.Vcpus, m.OldFlavor.RamMb, ct);
            if (m.SameHost) await HostClaims.SettleResize(session, m.SourceHost, before.Id, m.OldFlavor.Resources, ct);
            else await HostClaims.Release(session, m.TargetHost!, before.Id, buildFailed: false, ct);
            ShelveImages.Delete(session, config, m.TransferImageId);
        }
        else if (events.OfType<ServerResizeFailed>().Any())
        {
            // No target was claimed (no valid host): only the quota taken for the larger flavor goes back.
            await Settle(session, before, m.OldFlavor.Vcpus, m.OldFlavor.RamMb, ct);
            ShelveImages.Delete(session, config, m.TransferImageId);
        }
    }

    /// <summary>
    /// An admin's os-resetState ended the migration where it stood: the server keeps its current host and flavor, the
    /// other host's claim goes (its guest, if any, is an orphan its reconciliation removes).
    /// </summary>
    public static async Task Abandon(IDocumentSession session, IConfiguration config, Server before, CancellationToken ct)
    {
        if (before.Migration is not { } m) return;
        await Settle(session, before, before.Flavor.Vcpus, before.Flavor.RamMb, ct);
        if (m.SameHost) await HostClaims.SettleResize(session, m.SourceHost, before.Id, before.Flavor.Resources, ct);
        else if ((before.Host == m.SourceHost ? m.TargetHost : m.SourceHost) is { } other)
            await HostClaims.Release(session, other, before.Id, buildFailed: false, ct);
        ShelveImages.Delete(session, config, m.TransferImageId);
    }

    private static Task Settle(IDocumentSession session, Server server, int cores, int ramMb, CancellationToken ct) =>
        ProjectQuotas.SettleResize(session, server.ProjectId, server.Id, new ServerUsage(cores, ramMb), ct);
}
