using MassTransit;
using Nova.ComputeRpc;

namespace Nova.ComputeWorker.Instances;

/// <summary>
/// Delivers one kind of message on one host to its <see cref="IInstanceOperation{TMessage}"/>, one operation per
/// instance at a time, so a delete never races a build of the same instance. Messages arrive at least once, and the
/// control plane sends one again when its deadline passes: an operation already finished here (by its id, in the
/// host's <see cref="OperationJournal"/>) is answered with the report it ended with, not carried out again.
/// </summary>
public sealed class InstanceOperationConsumer<TMessage>(
    ComputeNode node, IInstanceOperation<TMessage> operation, ComputeQueues queues, ILogger log) : IConsumer<TMessage>
    where TMessage : class, IInstanceMessage
{
    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var host = new OnHost(node, context, queues, log);
        if (!operation.Exclusive)
        {
            await operation.Run(context.Message, host);
            return;
        }
        using var _ = await node.Lock(context.Message.ServerId, context.CancellationToken);
        if (host.OperationId is { } id && node.Journal.Find(id) is { } done)
        {
            log.LogInformation("{Operation} {OperationId} of {ServerId} was already carried out on {Host}: sending its report again",
                typeof(TMessage).Name, id, context.Message.ServerId, node.Name);
            node.CountRepeat();
            await host.Send(done.ToReport(), done.ReportId);
            return;
        }
        await operation.Run(context.Message, host);
        if (host.OperationId is { } finished && host.LastReport is { } last)
            node.Journal.Record(finished, context.Message.ServerId, typeof(TMessage).Name, last.Report, last.Id);
    }
}
