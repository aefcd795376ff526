using Marten;
using Nova.Commands.Requests;
using Nova.Projections.Servers;

namespace Nova.Api.Servers;

/// <summary>
/// Read models are built asynchronously; a client that writes and then reads (POST /servers,
/// then GET /servers/{id}) must see its write. Endpoints that write wait, briefly and bounded,
/// until the server's view reaches the version they appended.
/// </summary>
public sealed class ReadYourWrites(IDocumentStore store, ILogger<ReadYourWrites> log)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task WaitFor(ServerWrite write, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + Timeout;
        var delay = 2;
        await using var session = store.QuerySession();
        while (true)
        {
            var view = await session.LoadAsync<ServerView>(write.ServerId, ct);
            if (view is not null && view.Version >= write.Version) return;
            if (DateTimeOffset.UtcNow > deadline)
            {
                log.LogWarning("Read model of {ServerId} did not reach version {Version} in {Timeout}", write.ServerId, write.Version, Timeout);
                return;
            }
            await Task.Delay(delay, ct);
            delay = Math.Min(delay * 2, 25);
        }
    }

    public Task WaitFor(IEnumerable<ServerWrite> writes, CancellationToken ct) =>
        Task.WhenAll(writes.Select(w => WaitFor(w, ct)));
}
