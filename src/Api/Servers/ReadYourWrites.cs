using Marten;
using Nova.Commands.Requests;
using Nova.Projections;

namespace Nova.Api.Servers;

/// <summary>
/// Read models are built asynchronously; a client that writes and then reads (POST /servers,
/// then GET /servers/{id}) must see its write. A writing endpoint waits, briefly and bounded, until
/// the server-view projection has passed the events it appended. One shared poll of the daemon's
/// progress serves every waiting request, so a burst of writes does not become a burst of reads.
/// </summary>
public sealed class ReadYourWrites(IDocumentStore store, ILogger<ReadYourWrites> log) : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly string ProgressSql =
        $"select coalesce((select last_seq_id from {NovaStore.Schema}.mt_event_progression where name = 'ServerView:All'), 0)";
    private static readonly string HighestSql = $"select coalesce(max(seq_id), 0) from {NovaStore.Schema}.mt_events";

    private readonly object gate = new();
    private readonly List<(long Sequence, TaskCompletionSource Done)> waiters = new();
    private readonly CancellationTokenSource stopping = new();
    private Task? poller;

    public async Task WaitFor(ServerWrite write, CancellationToken ct) => await WaitFor([write], ct);

    public async Task WaitFor(IEnumerable<ServerWrite> writes, CancellationToken ct)
    {
        if (!writes.Any()) return;
        // Our events are committed, so they are at or below the highest sequence now.
        var sequence = await Scalar(HighestSql, ct);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            waiters.Add((sequence, done));
            poller ??= Task.Run(Poll);
        }
        var finished = await Task.WhenAny(done.Task, Task.Delay(Timeout, ct));
        if (finished != done.Task)
        {
            ct.ThrowIfCancellationRequested();
            lock (gate) waiters.RemoveAll(w => w.Done == done);
            log.LogWarning("The server read model did not reach sequence {Sequence} within {Timeout}", sequence, Timeout);
        }
    }

    private async Task Poll()
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var progress = await Scalar(ProgressSql, stopping.Token);
                lock (gate)
                {
                    foreach (var waiter in waiters.Where(w => w.Sequence <= progress)) waiter.Done.TrySetResult();
                    waiters.RemoveAll(w => w.Sequence <= progress);
                    if (waiters.Count == 0)
                    {
                        poller = null;
                        return;
                    }
                }
                await Task.Delay(5, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning("Polling projection progress failed: {Error}", e.Message);
                await Task.Delay(100, stopping.Token).ContinueWith(_ => { });
            }
        }
    }

    private async Task<long> Scalar(string sql, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return (await session.QueryAsync<long>(sql, ct)).Single();
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (poller is { } running) await running.ContinueWith(_ => { });
        stopping.Dispose();
    }
}
