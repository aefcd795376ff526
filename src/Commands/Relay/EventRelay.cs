using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;
using Nova.ComputeRpc;
using Nova.Commands.Servers.Deadlines;
using Nova.Domain.Servers;
using Nova.Store;

namespace Nova.Commands.Relay;

/// <summary>
/// Carries server events from the event store to RabbitMQ: a Marten subscription, checkpointed
/// by the async daemon only after every send of a page is confirmed, so delivery is at least
/// once and every receiver is idempotent. What each event asks for is its slice's <see cref="IRelayRule{TEvent}"/>;
/// host-bound work goes to that host's durable queue.
/// </summary>
public sealed class EventRelay : SubscriptionBase
{
    private readonly IBus bus;
    private readonly ComputeQueues queues;
    private readonly RelayRules rules;
    private readonly OperationDeadlines deadlines;
    private readonly TimeProvider clock;
    private readonly ILogger<EventRelay> log;

    public EventRelay(IBus bus, ComputeQueues queues, RelayRules rules, OperationDeadlines deadlines, TimeProvider clock,
        ILogger<EventRelay> log)
    {
        this.bus = bus;
        this.queues = queues;
        this.rules = rules;
        this.deadlines = deadlines;
        this.clock = clock;
        this.log = log;
        Name = RelayName;
        foreach (var type in RelayRules.EventTypes) IncludeType(type);
    }

    public const string RelayName = "EventRelay";

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken ct)
    {
        // One timer per server: the page's last operation for a server is the one it waits on.
        var pending = new Dictionary<Guid, Store.Operations.PendingOperation>();
        foreach (var e in page.Events)
        {
            var request = new RequestContext(e.CorrelationId ?? $"req-{e.Id}",
                e.GetHeader(EventHeaders.UserId)?.ToString() ?? "", e.GetHeader(EventHeaders.ProjectId)?.ToString() ?? "");
            if (await TranslateUntilRead(e, new RelayContext(request, queues, operations), ct) is not { } relayed) continue;
            await SendUntilConfirmed(relayed.Queue, relayed.Message, e, ct);
            // The server now waits on this message: its deadline is stored with the relay's progress, in one transaction.
            if (e.Data is IServerEvent server)
                pending[server.ServerId] = deadlines.Pending(server.ServerId, e.Id, e.Version, relayed, rules.Deadline(e.Data.GetType()), clock.GetUtcNow());
        }
        if (pending.Count > 0) operations.Store(pending.Values.ToArray());
        if (page.Events.Count > 0) log.LogDebug("Relayed {Count} events up to sequence {Sequence}", page.Events.Count, page.SequenceCeiling);
        return NullChangeListener.Instance;
    }

    /// <summary>
    /// A rule may read the store (the server as it is now): a database error must not fail the page either (the daemon
    /// would skip or pause it), so the read is tried again until it succeeds or the process stops.
    /// </summary>
    private async Task<RelayedMessage?> TranslateUntilRead(IEvent e, RelayContext context, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await rules.Translate(e.Data, context, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var wait = Backoff(attempt);
                log.LogWarning("Relay of event {Sequence} ({Type}) could not read its server, retrying in {Wait}: {Error}",
                    e.Sequence, e.EventTypeName, wait, ex.Message);
                await Task.Delay(wait, ct);
            }
        }
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, Math.Min(attempt, 6))));

    /// <summary>
    /// A broker outage must not fail the page (the daemon would pause the relay and servers would
    /// wait forever): keep trying, in order, until RabbitMQ confirms or the process stops.
    /// </summary>
    private async Task SendUntilConfirmed(string queue, object message, IEvent e, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var endpoint = await bus.GetSendEndpoint(ComputeQueues.Address(queue));
                await endpoint.Send(message, message.GetType(), ctx => ctx.MessageId = e.Id, ct);
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var wait = Backoff(attempt);
                log.LogWarning("Relay of event {Sequence} ({Type}) to {Queue} failed, retrying in {Wait}: {Error}",
                    e.Sequence, e.EventTypeName, queue, wait, ex.Message);
                await Task.Delay(wait, ct);
            }
        }
    }
}
