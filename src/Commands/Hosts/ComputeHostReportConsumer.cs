using MassTransit;
using Nova.Commands.Requests;
using Nova.ComputeRpc;
using IMediator = Mediator.IMediator;

namespace Nova.Commands.Hosts;

/// <summary>Nova's conductor for a host's heartbeat and inventory.</summary>
public sealed class ComputeHostReportConsumer(IMediator mediator, Caller caller) : IConsumer<ComputeHostReport>
{
    public async Task Consume(ConsumeContext<ComputeHostReport> context)
    {
        caller.Become(new RequestContext(Caller.NewRequestId(), "nova-compute", "service"));
        await mediator.Send(new RecordHostReport(context.Message), context.CancellationToken);
    }
}
