using Marten;
using Nova.Domain.Hosts;

namespace Nova.Commands.Hosts;

/// <summary>Claims and releases on a host's stream, appended in the caller's transaction.</summary>
public static class HostClaims
{
    /// <summary>Returns false when the claim does not fit (someone else took the resources).</summary>
    public static async Task<bool> TryClaim(IDocumentSession session, string host, Guid serverId, HostResources request, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<ComputeHost>(ComputeHostId.From(host), ct);
        try
        {
            var events = ComputeHostDecider.Decide(new ComputeHostCommand.Claim(serverId, request), stream.Aggregate);
            stream.AppendMany(events);
            return true;
        }
        catch (InsufficientHostResources)
        {
            return false;
        }
    }

    /// <summary>Idempotent: a claim already released releases nothing.</summary>
    public static async Task Release(IDocumentSession session, string host, Guid serverId, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<ComputeHost>(ComputeHostId.From(host), ct);
        var events = ComputeHostDecider.Decide(new ComputeHostCommand.Release(serverId), stream.Aggregate);
        if (events.Count > 0) stream.AppendMany(events);
    }
}
