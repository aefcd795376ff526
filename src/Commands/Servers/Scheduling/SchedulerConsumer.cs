using MassTransit;
using Nova.Commands.Requests;
using Nova.ComputeRpc;
using IMediator = Mediator.IMediator;

namespace Nova.Commands.Servers.Scheduling;

/// <summary>Nova's scheduler: one server at a time from the scheduler queue.</summary>
public sealed class SchedulerConsumer(IMediator mediator, Caller caller) : IConsumer<ScheduleInstance>
{
    public async Task Consume(ConsumeContext<ScheduleInstance> context)
    {
        caller.Become(context.Message.Request);
        await mediator.Send(new ScheduleServer(context.Message.ServerId), context.CancellationToken);
    }
}
