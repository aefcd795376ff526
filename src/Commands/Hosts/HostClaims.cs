using Marten;
using Nova.Domain.Hosts;

namespace Nova.Commands.Hosts;

/// <summary>
/// Claims and releases on a host's stream, appended in the caller's transaction. The stream is
/// locked for the transaction (and appended with its expected version): writers to one host queue
/// behind each other instead of failing and retrying, which would leave sequence gaps that stall
/// the projection daemon.
/// </summary>
public static class HostClaims
{
    /// <summary>
    /// The host as locked for this transaction, with the claim appended; null when the claim does not fit
    /// (someone else took the resources) or the host left the requested <paramref name="zone"/> meanwhile.
    /// </summary>
    public static async Task<ComputeHost?> TryClaim(IDocumentSession session, string host, Guid serverId, HostResources request,
        CancellationToken ct, string? zone = null)
    {
        var stream = await session.Events.FetchForExclusiveWriting<ComputeHost>(ComputeHostId.From(host), ct);
        if (zone is not null && stream.Aggregate?.AvailabilityZone != zone) return null;
        try
        {
            var events = ComputeHostDecider.Decide(new ComputeHostCommand.Claim(serverId, request), stream.Aggregate);
            stream.AppendMany(events);
            return stream.Aggregate;
        }
        catch (InsufficientHostResources)
        {
            return null;
        }
    }

    /// <summary>
    /// A resize to the host the server is on: its claim grows from <paramref name="held"/> by <paramref name="wanted"/>;
    /// null when that does not fit.
    /// </summary>
    public static async Task<ComputeHost?> TryClaimResize(IDocumentSession session, string host, Guid serverId, HostResources held,
        HostResources wanted, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<ComputeHost>(ComputeHostId.From(host), ct);
        try
        {
            stream.AppendMany(ComputeHostDecider.Decide(new ComputeHostCommand.ClaimResize(serverId, held, wanted), stream.Aggregate));
            return stream.Aggregate;
        }
        catch (InsufficientHostResources)
        {
            return null;
        }
    }

    /// <summary>Idempotent: a claim already released releases nothing.</summary>
    public static async Task Release(IDocumentSession session, string host, Guid serverId, bool buildFailed, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<ComputeHost>(ComputeHostId.From(host), ct);
        var events = ComputeHostDecider.Decide(new ComputeHostCommand.Release(serverId, buildFailed), stream.Aggregate);
        if (events.Count > 0) stream.AppendMany(events);
    }

    /// <summary>Clears the host's recent build failures; touches (and locks) the stream only when it has some.</summary>
    public static async Task RecordBuildSucceeded(IDocumentSession session, string host, CancellationToken ct)
    {
        var snapshot = await session.LoadAsync<ComputeHost>(ComputeHostId.From(host), ct);
        if (snapshot is not { RecentBuildFailures: > 0 }) return;
        var stream = await session.Events.FetchForExclusiveWriting<ComputeHost>(snapshot.Id, ct);
        stream.AppendMany(ComputeHostDecider.Decide(new ComputeHostCommand.RecordBuildSucceeded(), stream.Aggregate));
    }

    /// <summary>The end of a resize on one host: its grown claim shrinks to the flavor the server keeps. Idempotent.</summary>
    public static async Task SettleResize(IDocumentSession session, string host, Guid serverId, HostResources kept, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<ComputeHost>(ComputeHostId.From(host), ct);
        var events = ComputeHostDecider.Decide(new ComputeHostCommand.SettleResize(serverId, kept), stream.Aggregate);
        if (events.Count > 0) stream.AppendMany(events);
    }
}
