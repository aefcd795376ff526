using System.Collections.Concurrent;
using Nova.ComputeWorker.Drivers;

namespace Nova.ComputeWorker.Instances;

/// <summary>
/// One compute host served by this process: its name, its driver, its journal of finished operations, and the
/// per-instance serialisation that keeps a delete from racing a build on the same instance.
/// </summary>
public sealed class ComputeNode(string name, IComputeDriver driver, OperationJournal journal)
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> locks = new();

    public string Name { get; } = name;
    public IComputeDriver Driver { get; } = driver;
    public OperationJournal Journal { get; } = journal;

    private long repeated;
    /// <summary>Messages answered from the journal (delivered or sent again): a measure of duplicate traffic.</summary>
    public long RepeatedOperations => Interlocked.Read(ref repeated);
    public void CountRepeat() => Interlocked.Increment(ref repeated);

    public async Task<IDisposable> Lock(Guid serverId, CancellationToken ct)
    {
        var gate = locks.GetOrAdd(serverId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    /// <summary>Remembers a teardown (on disk) so a late or redelivered build does not bring the instance back.</summary>
    public void MarkTerminated(Guid serverId) => Journal.MarkTerminated(serverId);

    public bool WasTerminated(Guid serverId) => Journal.WasTerminated(serverId);

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        // Disposing twice must not free a lock someone else now holds.
        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) gate.Release();
        }
    }
}
