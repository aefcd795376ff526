using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace Nova.Projections.Progress;

/// <summary>Where one projection or subscription stands against the event store.</summary>
/// <param name="Kind">"async" (built by the daemon), "subscription" (the daemon feeds it), "inline" (written with the events).</param>
/// <param name="Position">Last event sequence it has processed; null for inline projections, always current.</param>
/// <param name="LagEvents">Events appended after its position.</param>
/// <param name="LagAge">Age of the oldest event it has not processed yet (zero when caught up).</param>
public sealed record ProjectionPosition(
    string Name, string Kind, long? Position, long LagEvents, TimeSpan LagAge, DateTimeOffset? LastUpdated);

public sealed record EventStorePositions(long HighestSequence, long HighWaterMark, IReadOnlyList<ProjectionPosition> Projections);

/// <summary>
/// Reads every projection's and subscription's position from the daemon's progression table and the
/// store's highest sequence, in one cheap query (primary-key lookups only): for /healthz, /metrics and
/// <c>nova-manage projections list</c>.
/// </summary>
public static class ProjectionPositions
{
    private static readonly string Sql = $"""
        select p.name, p.last_seq_id, p.last_updated,
               (select e.timestamp from {NovaStore.Schema}.mt_events e where e.seq_id > p.last_seq_id order by e.seq_id limit 1),
               (select coalesce(max(seq_id), 0) from {NovaStore.Schema}.mt_events),
               now()
        from {NovaStore.Schema}.mt_event_progression p
        """;

    public static async Task<EventStorePositions> Read(IDocumentStore store, CancellationToken ct)
    {
        var rows = new List<(string Name, long Seq, DateTimeOffset? Updated, DateTimeOffset? OldestPending)>();
        long highest = 0;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await using (var session = store.QuerySession())
        {
            var conn = (NpgsqlConnection)session.Connection!;
            if (conn.State != System.Data.ConnectionState.Open) await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand(Sql, conn);
            try
            {
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    rows.Add((r.GetString(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2),
                        r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3)));
                    highest = r.GetInt64(4);
                    now = r.GetFieldValue<DateTimeOffset>(5);
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // A store that has never been started: no events, no progress.
            }
            if (rows.Count == 0)
            {
                await using var max = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {NovaStore.Schema}.mt_events", conn);
                try { highest = Convert.ToInt64(await max.ExecuteScalarAsync(ct)); }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable) { }
            }
        }

        var highWater = rows.Where(r => r.Name == "HighWaterMark").Select(r => r.Seq).FirstOrDefault();
        var result = new List<ProjectionPosition>();
        var sources = ((StoreOptions)store.Options).Projections.All.ToList();
        foreach (var source in sources.Where(s => s.Lifecycle == ProjectionLifecycle.Inline).OrderBy(s => s.Name))
            result.Add(new ProjectionPosition(source.Name, "inline", null, 0, TimeSpan.Zero, null));
        var asyncNames = sources.Where(s => s.Lifecycle == ProjectionLifecycle.Async).Select(s => s.Name).ToHashSet();
        // HighWaterMark, HighWaterAllocationFence, HighWaterStuckGap: the daemon's own bookkeeping rows.
        foreach (var row in rows.Where(r => !r.Name.StartsWith("HighWater", StringComparison.Ordinal)).OrderBy(r => r.Name))
        {
            var name = row.Name.EndsWith(":All", StringComparison.Ordinal) ? row.Name[..^4] : row.Name;
            var age = row.OldestPending is { } pending && pending < now ? now - pending : TimeSpan.Zero;
            result.Add(new ProjectionPosition(row.Name, asyncNames.Contains(name) ? "async" : "subscription", row.Seq,
                Math.Max(0, highest - row.Seq), age, row.Updated));
        }
        // An async projection the daemon has not started yet has no row: it lags by everything.
        foreach (var name in asyncNames.Where(n => rows.All(r => r.Name != n + ":All")).Order())
            result.Add(new ProjectionPosition(name + ":All", "async", 0, highest, TimeSpan.Zero, null));
        return new EventStorePositions(highest, highWater, result);
    }
}
