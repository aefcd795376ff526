using Marten.Services;
using Npgsql;

namespace Nova.Projections.Rebuilding;

public sealed record ServerReplayResult(Guid ServerId, int Events, IReadOnlyList<string> DocumentsWritten);

/// <summary>
/// Rebuilds one server's read models (its ServerView, instance-action log, migrations and usage periods) from its stream, in one
/// transaction, with the same Evolve as the daemon. The live tables are locked against the daemon
/// (not readers) meanwhile, and each document is folded up to that projection's position, so the
/// daemon neither overwrites the result nor applies an event twice.
/// </summary>
public sealed class ServerReplay(string connectionString)
{
    public async Task<ServerReplayResult> Run(Guid serverId, CancellationToken ct)
    {
        await using var store = DaemonlessStore.For(connectionString);
        var projections = ReplayedProjection.All;
        foreach (var p in projections) await store.Storage.Database.EnsureStorageExistsAsync(p.DocumentType, ct);
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var tables = projections.Select(p => $"{NovaStore.Schema}.{p.Table}").Order();
        await using (var cmd = new NpgsqlCommand($"lock table {string.Join(", ", tables)} in share row exclusive mode", conn, tx))
            await cmd.ExecuteNonQueryAsync(ct);

        await using var session = store.LightweightSession(SessionOptions.ForTransaction(tx));
        var events = await session.Events.FetchStreamAsync(serverId, token: ct);
        if (events.Count == 0 || events[0].Data is not Domain.Servers.ServerCreateRequested)
            throw new RebuildRefused($"no server with id {serverId} in the event store");
        var written = new List<string>();
        foreach (var p in projections)
        {
            var docs = p.Fold(serverId, events, await ReadModelRebuild.Position(conn, tx, p, ct));
            p.Replace(session, serverId, docs);
            written.Add(docs.Count switch
            {
                0 => $"{p.Name} (none: no event of it the daemon has reached)",
                1 => p.Name,
                var n => $"{p.Name} ({n})",
            });
        }
        await session.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ServerReplayResult(serverId, events.Count, written);
    }
}
