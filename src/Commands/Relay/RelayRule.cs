using Marten;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Relay;

/// <summary>
/// A server action's rule for the relay: "this event asks this host (or the scheduler) to do this". Each
/// slice declares its own; the relay finds them by event type and names no action itself.
/// </summary>
public interface IRelayRule<in TEvent> where TEvent : class
{
    /// <summary>The message to send for <paramref name="e"/>, or null when nothing is to be asked.</summary>
    ValueTask<RelayedMessage?> Translate(TEvent e, RelayContext context, CancellationToken ct);

    /// <summary>
    /// How long the receiver has to answer before the message is sent again (and, after the last attempt, the task
    /// is ended by the control plane). <c>Nova:Deadlines:Operations:&lt;message type&gt;</c> (seconds) overrides it.
    /// </summary>
    TimeSpan Deadline => TimeSpan.FromMinutes(2);
}

/// <summary>A message and the queue it goes to; <paramref name="Host"/> is the compute host asked (null: the scheduler).</summary>
public sealed record RelayedMessage(string Queue, object Message, string? Host = null);

/// <summary>What a rule may use: the request the event was appended under, the queue names, the store (read only).</summary>
public sealed record RelayContext(RequestContext Request, ComputeQueues Queues, IDocumentOperations Store)
{
    public RelayedMessage ToHost(string host, object message) => new(Queues.Host(host), message, host);
    public RelayedMessage ToScheduler(object message) => new(Queues.Scheduler, message);

    /// <summary>The server as the store has it now (the relay may run behind the stream).</summary>
    public async Task<Server?> CurrentServer(Guid serverId, CancellationToken ct) =>
        await Store.Events.AggregateStreamAsync<Server>(serverId, token: ct);
}
