using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;
using Nova.Domain.Compute;
using Nova.Domain.Servers;
using Nova.Projections.InstanceActions;

namespace Nova.Commands.Relay;

/// <summary>
/// Carries server events from the event store to RabbitMQ: a Marten subscription, checkpointed
/// by the async daemon only after every send of a page is confirmed, so delivery is at least
/// once and every receiver is idempotent. Host-bound work goes to that host's durable queue.
/// </summary>
public sealed class EventRelay : SubscriptionBase
{
    private readonly IBus bus;
    private readonly ComputeQueues queues;
    private readonly ILogger<EventRelay> log;

    public EventRelay(IBus bus, ComputeQueues queues, ILogger<EventRelay> log)
    {
        this.bus = bus;
        this.queues = queues;
        this.log = log;
        Name = RelayName;
        foreach (var type in ServerEventTypes.All) IncludeType(type);
    }

    public const string RelayName = "EventRelay";

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken ct)
    {
        foreach (var e in page.Events)
        {
            var (queue, message) = await Translate(e, operations, ct);
            if (message is null) continue;
            await SendUntilConfirmed(queue, message, e, ct);
        }
        if (page.Events.Count > 0) log.LogDebug("Relayed {Count} events up to sequence {Sequence}", page.Events.Count, page.SequenceCeiling);
        return NullChangeListener.Instance;
    }

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
                var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{queue}"));
                await endpoint.Send(message, message.GetType(), ctx => ctx.MessageId = e.Id, ct);
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var wait = TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, Math.Min(attempt, 6))));
                log.LogWarning("Relay of event {Sequence} ({Type}) to {Queue} failed, retrying in {Wait}: {Error}",
                    e.Sequence, e.EventTypeName, queue, wait, ex.Message);
                await Task.Delay(wait, ct);
            }
        }
    }

    private async Task<(string Queue, object? Message)> Translate(IEvent e, IDocumentOperations operations, CancellationToken ct)
    {
        var request = new RequestContext(e.CorrelationId ?? $"req-{e.Id}",
            e.GetHeader(EventHeaders.UserId)?.ToString() ?? "", e.GetHeader(EventHeaders.ProjectId)?.ToString() ?? "");
        switch (e.Data)
        {
            case ServerCreateRequested c:
                return (queues.Scheduler, new ScheduleInstance(c.ServerId, request));
            case ServerRescheduled r:
                return (queues.Scheduler, new ScheduleInstance(r.ServerId, request));
            case ServerScheduled s:
                var server = await operations.Events.AggregateStreamAsync<Server>(s.ServerId, token: ct);
                // Deleted before the build went out: the host gets only the teardown.
                if (server is null || server.TaskState == TaskState.Deleting || server.VmState == VmState.Deleted)
                    return (queues.Host(s.Host), null);
                return (queues.Host(s.Host), new BuildAndRunInstance(s.ServerId, request, server.Name, server.Flavor,
                    server.ImageId, server.Networks));
            case ServerStopRequested s:
                return (queues.Host(s.Host), new StopInstance(s.ServerId, request));
            case ServerStartRequested s:
                return (queues.Host(s.Host), new StartInstance(s.ServerId, request));
            case ServerRebootRequested r:
                return (queues.Host(r.Host), new RebootInstance(r.ServerId, request, r.Type));
            case ServerDeleteRequested { Host: { } host } d:
                // Sent even after a local delete: a host that comes back still cleans up its instance.
                return (queues.Host(host), new TerminateInstance(d.ServerId, request));
            default:
                return ("", null);
        }
    }
}
