using Marten;
using MassTransit;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Nova.Commands.Requests;
using Nova.ComputeRpc;
using Nova.Domain.Hosts;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Reconciling;

/// <summary>
/// A host's inventory against the event store: a server the store places there (it holds a claim) whose guest is gone
/// is recorded as lost (ERROR with a fault, not ACTIVE for nothing); a guest no live server owns there is an orphan,
/// recorded in its server's history and, under <c>Nova:Reconcile:OrphanGuests=reap</c> (the default, as Nova's
/// running_deleted_instance_action), destroyed by its host. Servers that changed within <c>Nova:Reconcile:GraceSeconds</c>
/// of the inventory are left alone: the inventory may predate their newest step.
/// </summary>
public sealed record ReconcileHost(HostInventory Inventory) : ICommand<HostReconciled>;

public sealed record HostReconciled(IReadOnlyList<Guid> GuestsLost, IReadOnlyList<Guid> Orphans);

public sealed class ReconcileHostHandler(
    IDocumentStore store, EventSessions sessions, IBus bus, ComputeQueues queues, IConfiguration config, ILogger<ReconcileHostHandler> log)
    : ICommandHandler<ReconcileHost, HostReconciled>
{
    public async ValueTask<HostReconciled> Handle(ReconcileHost command, CancellationToken ct)
    {
        var inventory = command.Inventory;
        var settled = inventory.TakenAt - TimeSpan.FromSeconds(config.GetValue("Nova:Reconcile:GraceSeconds", 30));
        var reap = !string.Equals(config["Nova:Reconcile:OrphanGuests"], "keep", StringComparison.OrdinalIgnoreCase);
        var present = inventory.Instances.ToHashSet();
        IReadOnlyCollection<Guid> expected;
        await using (var query = store.QuerySession())
            expected = (await query.LoadAsync<ComputeHost>(ComputeHostId.From(inventory.Host), ct))?.Claims.Keys.ToList() ?? [];

        var lost = new List<Guid>();
        foreach (var serverId in expected.Where(id => !present.Contains(id)))
            if (await Record(serverId, settled, new ServerCommand.RecordGuestLost(inventory.Host), ct))
            {
                log.LogWarning("Server {ServerId} has no guest on its host {Host}: recorded as lost", serverId, inventory.Host);
                lost.Add(serverId);
            }

        var orphans = new List<Guid>();
        foreach (var serverId in present.Where(id => !expected.Contains(id)))
        {
            Server? server;
            await using (var query = store.QuerySession())
                server = await query.Events.AggregateStreamAsync<Server>(serverId, token: ct);
            // A live server of this host without a claim (in error after a failed build) still owns its guest.
            if (server is not null && server.VmState != VmState.Deleted && server.Host == inventory.Host) continue;
            if (server is not null && !await Record(serverId, settled, new ServerCommand.RecordOrphanGuest(inventory.Host, reap), ct)) continue;
            log.LogWarning("Guest {ServerId} on {Host} belongs to no live server there{Action}", serverId, inventory.Host,
                reap ? ": destroying it" : " (kept: Nova:Reconcile:OrphanGuests=keep)");
            if (reap)
            {
                var endpoint = await bus.GetSendEndpoint(queues.HostAddress(inventory.Host));
                await endpoint.Send(new TerminateInstance(serverId, new RequestContext(Caller.NewRequestId(), "nova", "service")), ct);
            }
            orphans.Add(serverId);
        }
        return new HostReconciled(lost, orphans);
    }

    /// <summary>Decides and appends <paramref name="decision"/> unless the server changed after <paramref name="settled"/>.</summary>
    private async Task<bool> Record(Guid serverId, DateTimeOffset settled, ServerCommand decision, CancellationToken ct) =>
        await sessions.WithRetry(async session =>
        {
            var state = await session.Events.FetchStreamStateAsync(serverId, ct);
            if (state is null || state.LastTimestamp > settled) return false;
            var stream = await session.Events.FetchForWriting<Server>(serverId, ct);
            var events = ServerDecider.Decide(decision, stream.Aggregate);
            if (events.Count == 0) return false;
            stream.AppendMany(events);
            await session.SaveChangesAsync(ct);
            return true;
        });
}
