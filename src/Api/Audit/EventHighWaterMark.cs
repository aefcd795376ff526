using Marten;
using Nova.Projections.Audit;

namespace Nova.Api.Audit;

/// <summary>
/// The highest event sequence below which the store has no gap that a transaction could still fill.
/// Marten takes sequence numbers before commit, so a slow transaction can commit sequence 41 after
/// 42 is already visible; reading "everything up to max(seq)" would skip 41 for good. The async
/// daemon (running in this process) tracks exactly this mark in mt_event_progression's
/// 'HighWaterMark' row: it advances only over committed events, and skips a gap only after checking
/// that no live transaction can still fill it (Marten 9.16.1+); the read models and the event relay
/// read up to the same mark. A feed that reads only up to it therefore sees every event exactly once,
/// in order, at the cost of the daemon's polling delay (tens of milliseconds, NovaStore.Configure).
/// One shared poll serves every waiting feed, and polls only while someone waits.
/// </summary>
public sealed class EventHighWaterMark(IDocumentStore store, ILogger<EventHighWaterMark> log) : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    private readonly object gate = new();
    private readonly List<(long Position, TaskCompletionSource<long> Reached)> waiters = new();
    private readonly CancellationTokenSource stopping = new();
    private Task? poller;

    /// <summary>The mark now.</summary>
    public async Task<long> Read(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await EventFeed.HighWaterMark(session, ct);
    }

    /// <summary>Waits until the mark is beyond <paramref name="position"/>; returns it.</summary>
    public async Task<long> Beyond(long position, CancellationToken ct)
    {
        var reached = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            waiters.Add((position, reached));
            poller ??= Task.Run(Poll);
        }
        await using var cancel = ct.Register(() =>
        {
            lock (gate) waiters.RemoveAll(w => w.Reached == reached);
            reached.TrySetCanceled(ct);
        });
        return await reached.Task;
    }

    private async Task Poll()
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var mark = await Read(stopping.Token);
                lock (gate)
                {
                    foreach (var waiter in waiters.Where(w => w.Position < mark)) waiter.Reached.TrySetResult(mark);
                    waiters.RemoveAll(w => w.Position < mark);
                    if (waiters.Count == 0)
                    {
                        poller = null;
                        return;
                    }
                }
                await Task.Delay(Interval, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning("Reading the event store's high-water mark failed: {Error}", e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(200), stopping.Token).ContinueWith(_ => { });
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (poller is { } running) await running.ContinueWith(_ => { });
        lock (gate)
        {
            foreach (var waiter in waiters) waiter.Reached.TrySetCanceled();
            waiters.Clear();
        }
        stopping.Dispose();
    }
}
