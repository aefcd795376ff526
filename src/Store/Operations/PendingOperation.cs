namespace Nova.Store.Operations;

/// <summary>
/// The operation a server waits on: the message the relay sent for the event that began the server's task, kept
/// until the task ends so it can be sent again when its deadline passes (a durable timer, one per server; a newer
/// operation of the same server replaces it). <see cref="OperationId"/> is that event's id and the message id of
/// every send, so receivers recognise a repeat.
/// </summary>
public sealed class PendingOperation
{
    /// <summary>The server's id.</summary>
    public Guid Id { get; set; }
    public Guid OperationId { get; set; }
    /// <summary>The version of the server's stream at the event that began it.</summary>
    public long Version { get; set; }
    /// <summary>What was asked, e.g. <c>BuildAndRunInstance</c>: the slice's deadline setting is named after it.</summary>
    public string Operation { get; set; } = "";
    /// <summary>The host asked; null when it went to the scheduler.</summary>
    public string? Host { get; set; }
    public string Queue { get; set; } = "";
    /// <summary>The message's CLR type and its JSON, to send it again as it was.</summary>
    public string MessageType { get; set; } = "";
    public string Message { get; set; } = "";
    public int Attempts { get; set; }
    public DateTimeOffset SentAt { get; set; }
    public DateTimeOffset DueAt { get; set; }
}
