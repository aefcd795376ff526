using System.Collections.Concurrent;
using Nova.ComputeWorker.Drivers;

namespace Nova.ComputeWorker.Instances;

/// <summary>
/// One compute host served by this process: its name, its driver, and the per-instance
/// serialisation that keeps a delete from racing a build on the same instance.
/// </summary>
public sealed class ComputeNode(string name, IComputeDriver driver)
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> locks = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> terminated = new();

    public string Name { get; } = name;
    public IComputeDriver Driver { get; } = driver;

    public async Task<IDisposable> Lock(Guid serverId, CancellationToken ct)
    {
        var gate = locks.GetOrAdd(serverId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    /// <summary>Remembers a teardown so a late or redelivered build does not bring the instance back.</summary>
    public void MarkTerminated(Guid serverId)
    {
        terminated[serverId] = DateTimeOffset.UtcNow;
        // Forget instances torn down long ago (their lock too: nothing will ask for it again).
        if (terminated.Count > 10_000)
            foreach (var old in terminated.Where(t => t.Value < DateTimeOffset.UtcNow.AddHours(-1)).Select(t => t.Key).ToList())
            {
                terminated.TryRemove(old, out _);
                locks.TryRemove(old, out _);
            }
    }

    public bool WasTerminated(Guid serverId) => terminated.ContainsKey(serverId);

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
