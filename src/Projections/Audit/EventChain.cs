using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Npgsql;
using Weasel.Core;
using Weasel.Postgresql.Tables;

namespace Nova.Projections.Audit;

/// <summary>Where a stream's chain breaks: the first event whose stored hash is not what its content gives.</summary>
public sealed record ChainBreak(Guid StreamId, long Version, long Sequence, string Reason, string? Expected, string? Stored);

public sealed record ChainVerification(long EventsChecked, long StreamsChecked, ChainBreak? FirstBreak)
{
    public bool Intact => FirstBreak is null;
}

/// <summary>
/// Tamper evidence: every stream carries a running SHA-256 chain over its events,
/// <c>hash_v = SHA256(hash_(v-1) || stream id || version || type || timestamp || request id || headers || data)</c>
/// (hash_0 = 32 zero bytes; texts length-prefixed, integers big-endian; timestamp in microseconds
/// since 1970; headers and data as PostgreSQL's text of their jsonb, which is canonical: sorted
/// keys, fixed spacing). Editing, removing or reordering any stored event changes the hash of
/// that event or of the next one, and every later hash of the stream.
/// </summary>
/// <remarks>
/// The hash is written by a trigger on <c>mt_events</c>, so it commits in the same transaction as
/// the append and covers every writer (sessions, bulk inserts, anything that inserts into mt_events). An inline
/// projection cannot do it: in Marten's default Quick append mode an inline projection sees neither
/// the sequence nor, for a plain Append, the version. The verifier below recomputes the formula in
/// .NET from the stored columns, independently of the trigger's SQL.
/// </remarks>
public static class EventChain
{
    public const string Table = "event_chain";

    public static IEnumerable<ISchemaObject> SchemaObjects(string schema)
    {
        var table = new Table($"{schema}.{Table}");
        table.AddColumn<Guid>("stream_id").AsPrimaryKey();
        table.AddColumn<long>("version").AsPrimaryKey();
        table.AddColumn<long>("seq_id").NotNull();
        table.AddColumn("hash", "bytea").NotNull();
        yield return table;

        yield return new EventChainTrigger(schema);
    }

    /// <summary>The trigger function's body: the SQL side of <see cref="Link"/>.</summary>
    internal static string TriggerBody(string schema)
    {
        static string Text(string expression) =>
            $"int4send(octet_length(convert_to({expression}, 'UTF8'))) || convert_to({expression}, 'UTF8')";
        return $"""

            DECLARE previous bytea;
            BEGIN
              SELECT hash INTO previous FROM {schema}.{Table} WHERE stream_id = NEW.stream_id AND version = NEW.version - 1;
              INSERT INTO {schema}.{Table} (stream_id, version, seq_id, hash) VALUES (NEW.stream_id, NEW.version, NEW.seq_id, sha256(
                coalesce(previous, decode(repeat('00', 32), 'hex'))
                || {Text("NEW.stream_id::text")} || int8send(NEW.version) || {Text("NEW.type")}
                || int8send((extract(epoch from NEW.timestamp) * 1000000)::bigint)
                || {Text("coalesce(NEW.correlation_id, '')")} || {Text("coalesce(NEW.headers::text, '')")}
                || {Text("NEW.data::text")}));
              RETURN NULL;
            END;

            """;
    }

    /// <summary>The link after <paramref name="previous"/> for one stored event (the .NET side of the formula).</summary>
    public static byte[] Link(ReadOnlySpan<byte> previous, Guid streamId, long version, string type, DateTimeOffset timestamp,
        string? requestId, string? headersJson, string dataJson)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        hash.AppendData(previous.Length == 0 ? new byte[32] : previous);
        AppendText(hash, streamId.ToString());
        BinaryPrimitives.WriteInt64BigEndian(number, version);
        hash.AppendData(number);
        AppendText(hash, type);
        BinaryPrimitives.WriteInt64BigEndian(number, (timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
        hash.AppendData(number);
        AppendText(hash, requestId ?? "");
        AppendText(hash, headersJson ?? "");
        AppendText(hash, dataJson);
        return hash.GetHashAndReset();
    }

    private static void AppendText(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }

    /// <summary>
    /// Recomputes the chain of one stream, or of every stream, reading the store in (stream, version)
    /// order one row at a time, and stops at the first event that does not match: a changed event,
    /// a missing one (a gap in versions, or a recorded hash whose event is gone) or one never chained.
    /// </summary>
    public static async Task<ChainVerification> Verify(IDocumentStore store, Guid? streamId = null,
        IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var session = store.QuerySession();
        var where = streamId is null ? "" : "WHERE e.stream_id = @stream";
        var command = new NpgsqlCommand($"""
            SELECT e.seq_id, e.stream_id, e.version, e.type, e.timestamp, e.correlation_id, e.headers::text, e.data::text, c.hash
            FROM {schema}.mt_events e LEFT JOIN {schema}.{Table} c ON c.stream_id = e.stream_id AND c.version = e.version
            {where} ORDER BY e.stream_id, e.version
            """) { CommandTimeout = 0 };
        if (streamId is { } id) command.Parameters.AddWithValue("stream", id);

        long events = 0, streams = 0;
        Guid? current = null;
        long lastVersion = 0;
        byte[] previous = [];
        await using (var reader = await session.ExecuteReaderAsync(command, ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var sequence = reader.GetInt64(0);
                var stream = reader.GetGuid(1);
                var version = reader.GetInt64(2);
                if (stream != current)
                {
                    current = stream;
                    streams++;
                    lastVersion = 0;
                    previous = [];
                }
                var expected = Link(previous, stream, version, reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7));
                var stored = reader.IsDBNull(8) ? null : reader.GetFieldValue<byte[]>(8);
                ChainBreak? broken =
                    version != lastVersion + 1 ? new(stream, version, sequence, $"version {lastVersion + 1} is missing", Hex(expected), Hex(stored))
                    : stored is null ? new(stream, version, sequence, "no hash was recorded for this event", Hex(expected), null)
                    : !stored.AsSpan().SequenceEqual(expected) ? new(stream, version, sequence, "the stored event does not match its hash", Hex(expected), Hex(stored))
                    : null;
                events++;
                if (broken is not null)
                {
                    progress?.Report(events);
                    return new ChainVerification(events, streams, broken);
                }
                previous = expected;
                lastVersion = version;
                if (events % 10_000 == 0) progress?.Report(events);
            }
        }
        progress?.Report(events);

        // A removed last event leaves no later hash to disagree; its recorded hash still names it.
        var orphan = new NpgsqlCommand($"""
            SELECT c.stream_id, c.version, c.seq_id, c.hash FROM {schema}.{Table} c
            WHERE {(streamId is null ? "" : "c.stream_id = @stream AND ")}NOT EXISTS
              (SELECT 1 FROM {schema}.mt_events e WHERE e.stream_id = c.stream_id AND e.version = c.version)
            ORDER BY c.stream_id, c.version LIMIT 1
            """) { CommandTimeout = 0 };
        if (streamId is { } s) orphan.Parameters.AddWithValue("stream", s);
        await using (var reader = await session.ExecuteReaderAsync(orphan, ct))
        {
            if (await reader.ReadAsync(ct))
                return new ChainVerification(events, streams, new ChainBreak(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2),
                    "the event is missing from the store but its hash is recorded", null, Hex(reader.GetFieldValue<byte[]>(3))));
        }
        return new ChainVerification(events, streams, null);
    }

    /// <summary>
    /// Chains the streams that began before the chain existed (their first event has no recorded
    /// hash), recomputing each such stream whole, under its stream lock so no append interleaves.
    /// Streams whose first event is chained are never touched: a break in them stays a break.
    /// An operator's upgrade step (<c>nova-manage audit seal</c>), deliberately not a REST route:
    /// it accepts the current content of those streams as the truth. Returns the streams sealed.
    /// </summary>
    public static async Task<long> Seal(IDocumentStore store, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        var unchained = new List<Guid>();
        await using (var session = store.QuerySession())
        await using (var reader = await session.ExecuteReaderAsync(new NpgsqlCommand($"""
            SELECT e.stream_id FROM {schema}.mt_events e
            WHERE e.version = 1 AND NOT EXISTS (SELECT 1 FROM {schema}.{Table} c WHERE c.stream_id = e.stream_id AND c.version = 1)
            """) { CommandTimeout = 0 }, ct))
        {
            while (await reader.ReadAsync(ct)) unchained.Add(reader.GetGuid(0));
        }

        long sealedStreams = 0;
        foreach (var stream in unchained)
        {
            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using (var lockStream = new NpgsqlCommand($"SELECT 1 FROM {schema}.mt_streams WHERE id = @stream FOR UPDATE", connection, transaction))
            {
                lockStream.Parameters.AddWithValue("stream", stream);
                await lockStream.ExecuteNonQueryAsync(ct);
            }
            var (versions, sequences, hashes) = (new List<long>(), new List<long>(), new List<byte[]>());
            await using (var read = new NpgsqlCommand($"""
                SELECT seq_id, version, type, timestamp, correlation_id, headers::text, data::text
                FROM {schema}.mt_events WHERE stream_id = @stream ORDER BY version
                """, connection, transaction))
            {
                read.Parameters.AddWithValue("stream", stream);
                await using var reader = await read.ExecuteReaderAsync(ct);
                byte[] previous = [];
                while (await reader.ReadAsync(ct))
                {
                    var version = reader.GetInt64(1);
                    previous = Link(previous, stream, version, reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                        reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6));
                    versions.Add(version);
                    sequences.Add(reader.GetInt64(0));
                    hashes.Add(previous);
                }
            }
            await using (var write = new NpgsqlCommand($"""
                INSERT INTO {schema}.{Table} (stream_id, version, seq_id, hash)
                SELECT @stream, v, s, h FROM unnest(@versions, @sequences, @hashes) AS t(v, s, h)
                ON CONFLICT (stream_id, version) DO UPDATE SET seq_id = EXCLUDED.seq_id, hash = EXCLUDED.hash
                """, connection, transaction))
            {
                write.Parameters.AddWithValue("stream", stream);
                write.Parameters.AddWithValue("versions", versions.ToArray());
                write.Parameters.AddWithValue("sequences", sequences.ToArray());
                write.Parameters.AddWithValue("hashes", hashes.ToArray());
                await write.ExecuteNonQueryAsync(ct);
            }
            await transaction.CommitAsync(ct);
            sealedStreams++;
            progress?.Report(sealedStreams);
        }
        return sealedStreams;
    }

    /// <summary>A hash as the API and the reports show it (lower-case hex).</summary>
    public static string? Hex(byte[]? hash) => hash is null ? null : Convert.ToHexStringLower(hash);
}
