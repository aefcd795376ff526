using Marten;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Hosts;
using Nova.Commands.Quotas;
using Nova.Commands.Servers.Shelving;
using Nova.Domain.Hosts;
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
            if (m.SameHost) await Shrink(session, m.SourceHost, before.Id, m.NewFlavor.Resources, ct);
            else await HostClaims.Release(session, m.SourceHost, before.Id, buildFailed: false, ct);
            ShelveImages.Delete(session, config, m.TransferImageId);
        }
        else if (events.OfType<ServerResizeRolledBackOnTarget>().Any()
                 || events.OfType<ServerResizeFailed>().FirstOrDefault() is { TargetHost: not null })
        {
            await Settle(session, before, m.OldFlavor.Vcpus, m.OldFlavor.RamMb, ct);
            if (m.SameHost) await Shrink(session, m.SourceHost, before.Id, m.OldFlavor.Resources, ct);
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
        if (m.SameHost) await Shrink(session, m.SourceHost, before.Id, before.Flavor.Resources, ct);
        else if ((before.Host == m.SourceHost ? m.TargetHost : m.SourceHost) is { } other)
            await HostClaims.Release(session, other, before.Id, buildFailed: false, ct);
        ShelveImages.Delete(session, config, m.TransferImageId);
    }

    /// <summary>The quota for the larger flavor, taken when the resize was asked for (refused when it does not fit).</summary>
    public static async Task Reserve(IDocumentSession session, QuotaDefaults defaults, Server server, Domain.Flavors.FlavorSpec wanted,
        CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<ProjectUsage>(ProjectUsageId.From(server.ProjectId), ct);
        var limits = await defaults.For(session, server.ProjectId, ct);
        stream.AppendMany(ProjectUsageDecider.Resize(stream.Aggregate, limits, server.Id, new ServerUsage(wanted.Vcpus, wanted.RamMb)));
    }

    private static async Task Settle(IDocumentSession session, Server server, int cores, int ramMb, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<ProjectUsage>(ProjectUsageId.From(server.ProjectId), ct);
        var events = ProjectUsageDecider.Settle(stream.Aggregate, server.Id, new ServerUsage(cores, ramMb));
        if (events.Count > 0) stream.AppendMany(events);
    }

    private static async Task Shrink(IDocumentSession session, string host, Guid serverId, HostResources kept, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<ComputeHost>(ComputeHostId.From(host), ct);
        var events = ComputeHostDecider.Decide(new ComputeHostCommand.SettleResize(serverId, kept), stream.Aggregate);
        if (events.Count > 0) stream.AppendMany(events);
    }
}
