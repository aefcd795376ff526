using Nova.Commands.Relay;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Scheduling;

/// <summary>A new server goes to the scheduler.</summary>
public sealed class CreateRequestedRelay : IRelayRule<ServerCreateRequested>
{
    /// <summary>A choice takes milliseconds; a minute means the scheduler is not there.</summary>
    public TimeSpan Deadline => TimeSpan.FromMinutes(1);

    public ValueTask<RelayedMessage?> Translate(ServerCreateRequested e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult<RelayedMessage?>(context.ToScheduler(new ScheduleInstance(e.ServerId, context.Request)));
}

/// <summary>A build that failed on its host goes back to the scheduler, for an alternate.</summary>
public sealed class RescheduledRelay : IRelayRule<ServerRescheduled>
{
    /// <summary>A choice takes milliseconds; a minute means the scheduler is not there.</summary>
    public TimeSpan Deadline => TimeSpan.FromMinutes(1);

    public ValueTask<RelayedMessage?> Translate(ServerRescheduled e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult<RelayedMessage?>(context.ToScheduler(new ScheduleInstance(e.ServerId, context.Request)));
}
