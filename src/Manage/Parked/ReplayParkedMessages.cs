namespace Nova.Manage.Parked;

/// <summary>
/// <c>parked replay QUEUE [MESSAGE_ID]</c>: puts parked messages of a queue (all, or one by id) back on that queue, once
/// their cause is fixed. The receivers recognise a message they already carried out by its id, so a replay is safe.
/// </summary>
public sealed class ReplayParkedMessages : IManageCommand
{
    public IReadOnlyList<string> Words => ["parked", "replay"];
    public string Arguments => "QUEUE [MESSAGE_ID]";
    public string Description => "send parked messages back to their queue";

    public async Task<int> Run(IReadOnlyList<string> args, ManageContext context, CancellationToken ct)
    {
        if (args.Count is < 1 or > 2) throw new UsageException("parked replay takes a queue name and optionally a message id");
        var queue = args[0];
        if (!(await ParkedQueues.Names(context, ct)).Contains(queue))
            throw new UsageException($"no queue named '{queue}' (see `nova-manage parked list`)");
        await using var queues = await ParkedQueues.Open(ct);
        var replayed = 0;
        foreach (var message in await queues.Peek(queue, await queues.Count(queue, ct), ct))
        {
            if (args.Count == 2 && message.BasicProperties.MessageId != args[1]) continue;
            // Through the default exchange, straight to the queue; the envelope and headers as they were.
            var properties = new RabbitMQ.Client.BasicProperties(message.BasicProperties);
            await queues.Channel.BasicPublishAsync("", queue, mandatory: true, properties, message.Body, ct);
            await queues.Channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
            replayed++;
        }
        await context.Out.WriteLineAsync($"{replayed} replayed to {queue}");
        return replayed > 0 || args.Count == 1 ? NovaManage.Ok : NovaManage.Failed;
    }
}
