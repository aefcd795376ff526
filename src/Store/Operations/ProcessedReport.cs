namespace Nova.Store.Operations;

/// <summary>
/// A host report the conductor has recorded, by its message id, written in the transaction that records it: a
/// redelivery of the same report (or the host sending it again after a retry) is recognised and changes nothing.
/// </summary>
public sealed class ProcessedReport
{
    public Guid Id { get; set; }
    public Guid ServerId { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
