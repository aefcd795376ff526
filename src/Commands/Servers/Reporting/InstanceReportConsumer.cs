using MassTransit;
using Nova.Commands.Requests;
using Nova.ComputeRpc;
using IMediator = Mediator.IMediator;

namespace Nova.Commands.Servers.Reporting;

/// <summary>Nova's conductor for one kind of host report: records it under the request it answers.</summary>
public sealed class InstanceReportConsumer<TReport>(IMediator mediator, Caller caller) : IConsumer<TReport>
    where TReport : class, IHostReport
{
    public async Task Consume(ConsumeContext<TReport> context)
    {
        caller.Become(context.Message.Request);
        await mediator.Send(new RecordInstanceReport(context.Message, context.MessageId), context.CancellationToken);
    }
}
