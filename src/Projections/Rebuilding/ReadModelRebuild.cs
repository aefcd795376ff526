using System.Diagnostics;
using System.Threading.Channels;
using JasperFx.Events;
using Marten;
using Npgsql;
using Weasel.Core;

namespace Nova.Projections.Rebuilding;

public sealed record RebuildProgress(long EventsDone, long EventsTotal, long DocumentsBuilt, TimeSpan Elapsed);

/// <param name="Elapsed">The whole rebuild: preparing the shadow tables, the replay, the switch.</param>
/// <param name="ReplayTime">Reading, folding and writing the events into the shadow tables.</param>
public sealed record RebuildSummary(
    IReadOnlyList<string> Projections, long Events, long DocumentsBuilt, long DocumentsChanged, long CaughtUpEvents,
    TimeSpan Elapsed, TimeSpan ReplayTime, TimeSpan SwitchTime)
{
    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? Events / Elapsed.TotalSeconds : Events;
    public double ReplayEventsPerSecond => ReplayTime.TotalSeconds > 0 ? Events / ReplayTime.TotalSeconds : Events;
}

/// <summary>An operator request that cannot go ahead (unknown name or id, another rebuild running).</summary>
public sealed class RebuildRefused(string message) : Exception(message);

/// <summary>
/// Rebuilds read models without downtime. The projections' own Evolve replays the event store into
/// shadow tables (schema <c>nova_rebuild</c>, created by Marten with the same mapping) while the API
/// keeps reading the live tables and the daemon keeps updating them. The switch is one transaction:
/// it locks the live tables against writers only (readers go on, seeing the old rows until commit),
/// replays into the shadow whatever the daemon applied meanwhile, so both stand at the daemon's exact
/// position, and copies the difference into the live tables. Readers then see the new model at once;
/// the daemon resumes from its unchanged position.
/// </summary>
public sealed class ReadModelRebuild(string connectionString)
{
    public const string ShadowSchema = "nova_rebuild";
    private const int StreamsPerBatch = 1000;
    // One rebuild at a time, across processes.
    private const long AdvisoryLock = 0x6e6f7661_72626c64;

    public async Task<RebuildSummary> Run(IReadOnlyList<ReplayedProjection> projections, Action<RebuildProgress>? progress,
        CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var live = DaemonlessStore.For(connectionString);
        await using var shadow = DaemonlessStore.For(connectionString, ShadowSchema);
        await using var control = new NpgsqlConnection(connectionString);
        await control.OpenAsync(ct);
        if (!await Scalar<bool>(control, null, $"select pg_try_advisory_lock({AdvisoryLock})", ct))
            throw new RebuildRefused("another projection rebuild is running on this database");

        var tables = projections.ToDictionary(p => p, p => p.Table);
        foreach (var p in projections)
        {
            await live.Storage.Database.EnsureStorageExistsAsync(p.DocumentType, ct);
            await shadow.Advanced.Clean.DeleteDocumentsByTypeAsync(p.DocumentType, ct);
        }

        // Replay up to where the daemon stands now: the live model then already holds every later event
        // the daemon applies, and the switch replays those into the shadow too.
        var start = new Dictionary<ReplayedProjection, long>();
        foreach (var p in projections) start[p] = await Position(control, null, p, ct);
        var upTo = start.Values.DefaultIfEmpty(0).Max();
        var total = await Scalar<long>(control, null, $"select count(*) from {NovaStore.Schema}.mt_events where seq_id <= {upTo}", ct);

        var replayClock = Stopwatch.StartNew();
        // Reading (and deserialising) the next streams overlaps folding and writing the previous ones.
        var batches = Channel.CreateBounded<IReadOnlyList<IEvent>>(2);
        var reading = Task.Run(async () =>
        {
            try
            {
                Guid? after = null;
                await using var reader = live.QuerySession();
                while (true)
                {
                    var ids = await StreamIds(control, after, ct);
                    if (ids.Count == 0) break;
                    after = ids[^1];
                    await batches.Writer.WriteAsync(await reader.Events.QueryAllRawEvents()
                        .Where(e => ids.Contains(e.StreamId) && e.Sequence <= upTo)
                        .OrderBy(e => e.StreamId).ThenBy(e => e.Version)
                        .ToListAsync(ct), ct);
                }
                batches.Writer.Complete();
            }
            catch (Exception e)
            {
                batches.Writer.Complete(e);
            }
        }, ct);

        long events = 0, built = 0;
        await foreach (var batch in batches.Reader.ReadAllAsync(ct))
        {
            events += batch.Count;
            var documents = projections.ToDictionary(p => p, _ => new List<object>());
            foreach (var stream in batch.GroupBy(e => e.StreamId))
                foreach (var p in projections)
                    documents[p].AddRange(p.Fold(stream.Key, stream, start[p]));
            // One COPY per document table, side by side.
            await Task.WhenAll(documents.Values.Where(d => d.Count > 0)
                .Select(d => shadow.BulkInsertDocumentsAsync(d, BulkInsertMode.InsertsOnly, 5000, ct)));
            built += documents.Values.Sum(d => d.Count);
            progress?.Invoke(new RebuildProgress(events, total, built, clock.Elapsed));
        }
        await reading;
        replayClock.Stop();

        var switchClock = Stopwatch.StartNew();
        (long changed, long caughtUp) = await Switch(control, shadow, projections, tables, start, ct);
        switchClock.Stop();
        foreach (var p in projections) await shadow.Advanced.Clean.DeleteDocumentsByTypeAsync(p.DocumentType, ct);
        return new RebuildSummary(projections.Select(p => p.Name).ToList(), events, built, changed, caughtUp,
            clock.Elapsed, replayClock.Elapsed, switchClock.Elapsed);
    }

    private static async Task<(long Changed, long CaughtUp)> Switch(NpgsqlConnection control, IDocumentStore shadow,
        IReadOnlyList<ReplayedProjection> projections, Dictionary<ReplayedProjection, string> tables,
        Dictionary<ReplayedProjection, long> start, CancellationToken ct)
    {
        await using var tx = await control.BeginTransactionAsync(ct);
        // SHARE ROW EXCLUSIVE waits for the daemon's open batch and holds off its next one, but not readers.
        var locked = string.Join(", ", projections.Select(p => $"{NovaStore.Schema}.{tables[p]}").Order());
        await Execute(control, tx, $"lock table {locked} in share row exclusive mode", ct);

        long changed = 0, caughtUp = 0;
        await using var shadowSession = shadow.LightweightSession();
        foreach (var p in projections)
        {
            var now = await Position(control, tx, p, ct);
            if (now < start[p])
                throw new RebuildRefused($"{p.Name} went back from {start[p]} to {now} during the rebuild; was it rebuilt elsewhere?");
            if (now == start[p]) continue;
            var later = await shadowSession.Events.QueryAllRawEvents()
                .Where(e => e.Sequence > start[p] && e.Sequence <= now)
                .OrderBy(e => e.Sequence).ToListAsync(ct);
            caughtUp += later.Count;
            await p.Apply(shadowSession, later, ct);
        }
        await shadowSession.SaveChangesAsync(ct);

        foreach (var p in projections) changed += await CopyDifference(control, tx, tables[p], ct);
        await tx.CommitAsync(ct);
        return (changed, caughtUp);
    }

    /// <summary>Makes the live table equal to the shadow, touching only the rows that differ.</summary>
    private static async Task<long> CopyDifference(NpgsqlConnection conn, NpgsqlTransaction tx, string table, CancellationToken ct)
    {
        var columns = new List<string>();
        await using (var cmd = new NpgsqlCommand(
            "select column_name from information_schema.columns where table_schema = @s and table_name = @t order by ordinal_position", conn, tx))
        {
            cmd.Parameters.AddWithValue("s", NovaStore.Schema);
            cmd.Parameters.AddWithValue("t", table);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) columns.Add(r.GetString(0));
        }
        if (!columns.Contains("id") || !columns.Contains("data"))
            throw new InvalidOperationException($"{NovaStore.Schema}.{table} is not the document table it should be");
        var live = $"{NovaStore.Schema}.{table}";
        var copy = $"{ShadowSchema}.{table}";
        var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
        var set = string.Join(", ", columns.Where(c => c != "id").Select(c => $"\"{c}\" = excluded.\"{c}\""));
        var deleted = await Execute(conn, tx,
            $"delete from {live} l where not exists (select 1 from {copy} s where s.id = l.id)", ct);
        var upserted = await Execute(conn, tx,
            $"insert into {live} ({list}) select {list} from {copy} on conflict (id) do update set {set} " +
            $"where {live}.data is distinct from excluded.data", ct);
        return deleted + upserted;
    }

    internal static async Task<long> Position(NpgsqlConnection conn, NpgsqlTransaction? tx, ReplayedProjection p, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"select coalesce((select last_seq_id from {NovaStore.Schema}.mt_event_progression where name = @n), 0)", conn, tx);
        cmd.Parameters.AddWithValue("n", p.ShardName);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }

    private static async Task<List<Guid>> StreamIds(NpgsqlConnection conn, Guid? after, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(after is null
            ? $"select id from {NovaStore.Schema}.mt_streams order by id limit {StreamsPerBatch}"
            : $"select id from {NovaStore.Schema}.mt_streams where id > @a order by id limit {StreamsPerBatch}", conn);
        if (after is { } a) cmd.Parameters.AddWithValue("a", a);
        var ids = new List<Guid>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) ids.Add(r.GetGuid(0));
        return ids;
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync(ct))!, typeof(T));
    }

    private static async Task<int> Execute(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
