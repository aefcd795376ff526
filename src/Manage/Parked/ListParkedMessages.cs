namespace Nova.Manage.Parked;

/// <summary><c>parked list</c>: every parked message with its queue, id, type, when and why it was parked.</summary>
public sealed class ListParkedMessages : IManageCommand
{
    public IReadOnlyList<string> Words => ["parked", "list"];
    public string Arguments => "";
    public string Description => "messages parked in error queues, with the reason";

    public async Task<int> Run(IReadOnlyList<string> args, ManageContext context, CancellationToken ct)
    {
        if (args.Count > 0) throw new UsageException($"parked list takes no arguments (got '{string.Join(' ', args)}')");
        await using var queues = await ParkedQueues.Open(ct);
        var total = 0;
        foreach (var queue in await ParkedQueues.Names(context, ct))
        {
            var count = await queues.Count(queue, ct);
            if (count == 0) continue;
            foreach (var message in await queues.Peek(queue, count, ct))
            {
                total++;
                var type = ParkedQueues.Header(message, "MT-Fault-MessageType") is { Length: > 0 } t ? t : message.BasicProperties.Type ?? "";
                await context.Out.WriteLineAsync(
                    $"{queue}\t{message.BasicProperties.MessageId}\t{ParkedQueues.Header(message, "MT-Fault-Timestamp")}\t" +
                    $"{ParkedQueues.Header(message, "MT-Fault-ExceptionType")}: {ParkedQueues.Header(message, "MT-Fault-Message")}\t{type}");
            }
        }
        await context.Out.WriteLineAsync($"{total} parked");
        return NovaManage.Ok;
    }
}
