using MassTransit;
using Nova.ComputeRpc;

namespace Nova.ComputeWorker.Instances;

/// <summary>
/// Delivers one kind of message on one host to its <see cref="IInstanceOperation{TMessage}"/>, one operation per
/// instance at a time, so a delete never races a build of the same instance. Messages arrive at least once:
/// every operation is safe to repeat.
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
        await operation.Run(context.Message, host);
    }
}
