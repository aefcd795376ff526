using Marten;
using Nova.Commands.Requests;
using Nova.Domain.Hosts;
using Nova.Store.Hosts;

namespace Nova.Commands.Hosts;

/// <summary>
/// The one write path for an operator's command on a compute service: admin check, fetch the host
/// stream under its lock (so it queues behind the scheduler's claims instead of racing them),
/// decide, append, and mirror the switches into the heartbeat document, all in one transaction.
/// </summary>
public static class HostStreams
{
    public const string UpdatePolicy = "os_compute_api:os-services:update";
    public const string DeletePolicy = "os_compute_api:os-services:delete";

    public static async Task<ComputeHost> Execute(
        EventSessions sessions, Caller caller, string policy, string host, ComputeHostCommand command, CancellationToken ct)
    {
        caller.Authorize(policy);
        await using var session = sessions.Open();
        var stream = await session.Events.FetchForExclusiveWriting<ComputeHost>(ComputeHostId.From(host), ct);
        if (stream.Aggregate is not { Deleted: false } state) throw new HostNotFound(host);

        var events = ComputeHostDecider.Decide(command, state);
        if (events.Count == 0) return state;
        stream.AppendMany(events);
        var decided = events.Aggregate(state, ComputeHost.Evolve);
        await MirrorSwitches(session, decided, ct);
        if (decided.Deleted) await LeaveAggregates(session, decided.Name, ct);
        await session.SaveChangesAsync(ct);
        return decided;
    }

    /// <summary>As in Nova, a deleted compute service's host leaves its aggregates (a host that comes back joins none).</summary>
    private static async Task LeaveAggregates(IDocumentSession session, string host, CancellationToken ct)
    {
        foreach (var aggregate in await session.Query<HostAggregateRecord>().Where(a => a.Hosts.Contains(host)).ToListAsync(ct))
        {
            aggregate.Hosts.Remove(host);
            session.Update(aggregate);
        }
    }

    /// <summary>
    /// The scheduler and the local-delete check read liveness and switches from the heartbeat
    /// document; the host stream stays the authority the API shows.
    /// </summary>
    private static async Task MirrorSwitches(IDocumentSession session, ComputeHost host, CancellationToken ct)
    {
        if (host.Deleted)
        {
            // A host that reports again registers anew, with a fresh heartbeat document.
            session.Delete<ComputeService>(host.Name);
            return;
        }
        if (await session.LoadAsync<ComputeService>(host.Name, ct) is not { } service) return;
        service.Enabled = host.Enabled;
        service.DisabledReason = host.DisabledReason;
        service.ForcedDown = host.ForcedDown;
        session.Store(service);
    }
}
