using System.Runtime.CompilerServices;
using System.Text;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Nova.Store;

namespace Nova.Projections.Audit;

/// <summary>Which events of the global feed an auditor asks for; every part is optional. <see cref="Until"/> is exclusive.</summary>
public sealed record EventFeedFilter(
    IReadOnlyList<string>? Types = null, Guid? StreamId = null, string? ProjectId = null, string? UserId = null,
    DateTimeOffset? Since = null, DateTimeOffset? Until = null);

/// <summary>One stored event as the feed shows it: its data is the stored JSON, verbatim.</summary>
public sealed record StoredEvent(
    long Sequence, Guid StreamId, long Version, DateTimeOffset Timestamp, string Type, string DataJson,
    string? UserId, string? ProjectId, string? RequestId);

/// <summary>
/// The global event feed, read straight from <c>mt_events</c> in sequence order, one row at a time
/// (the reader never holds more than the row it is on, so an export of millions of events stays flat).
/// </summary>
public static class EventFeed
{
    /// <summary>
    /// The highest sequence below which no event can still appear. Sequence numbers are taken when
    /// an append starts, not when it commits: a slow transaction holding 100 may commit after 101 is
    /// visible, so a reader that moved past 101 would never see 100. The async daemon (running in
    /// this process) advances its high-water mark only past sequences that are committed or known
    /// to be abandoned, so paging by position below it never skips an event that commits late.
    /// </summary>
    public static async Task<long> HighWaterMark(IQuerySession session, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var command = new NpgsqlCommand($"SELECT last_seq_id FROM {schema}.mt_event_progression WHERE name = 'HighWaterMark'");
        await using var reader = await session.ExecuteReaderAsync(command, ct);
        return await reader.ReadAsync(ct) && !reader.IsDBNull(0) ? reader.GetInt64(0) : 0;
    }

    /// <summary>Events after sequence <paramref name="after"/> up to <paramref name="upTo"/> (inclusive) that match, in sequence order.</summary>
    public static async IAsyncEnumerable<StoredEvent> Read(IQuerySession session, EventFeedFilter filter, long after, long upTo,
        int? limit, [EnumeratorCancellation] CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var command = new NpgsqlCommand { CommandTimeout = 0 };
        var sql = new StringBuilder($"""
            SELECT seq_id, stream_id, version, timestamp, type, data::text,
                   headers ->> '{EventHeaders.UserId}', headers ->> '{EventHeaders.ProjectId}', correlation_id
            FROM {schema}.mt_events WHERE seq_id > @after AND seq_id <= @upto
            """);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("upto", upTo);
        if (filter.Types is { Count: > 0 } types)
        {
            sql.Append(" AND type = ANY(@types)");
            command.Parameters.AddWithValue("types", NpgsqlDbType.Array | NpgsqlDbType.Varchar, types.ToArray());
        }
        if (filter.StreamId is { } stream)
        {
            sql.Append(" AND stream_id = @stream");
            command.Parameters.AddWithValue("stream", stream);
        }
        if (filter.ProjectId is { } project)
        {
            sql.Append($" AND headers ->> '{EventHeaders.ProjectId}' = @project");
            command.Parameters.AddWithValue("project", project);
        }
        if (filter.UserId is { } user)
        {
            sql.Append($" AND headers ->> '{EventHeaders.UserId}' = @user");
            command.Parameters.AddWithValue("user", user);
        }
        if (filter.Since is { } since)
        {
            sql.Append(" AND timestamp >= @since");
            command.Parameters.AddWithValue("since", since.ToUniversalTime());
        }
        if (filter.Until is { } until)
        {
            sql.Append(" AND timestamp < @until");
            command.Parameters.AddWithValue("until", until.ToUniversalTime());
        }
        sql.Append(" ORDER BY seq_id");
        if (limit is { } l)
        {
            sql.Append(" LIMIT @limit");
            command.Parameters.AddWithValue("limit", l);
        }
        command.CommandText = sql.ToString();

        await using var reader = await session.ExecuteReaderAsync(command, ct);
        while (await reader.ReadAsync(ct))
            yield return new StoredEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8));
    }

    /// <summary>The event type names the store knows (<c>server_stopped</c>, …), for validating a type filter.</summary>
    public static IReadOnlySet<string> KnownTypes(IDocumentStore store) =>
        store.Options.Events.AllKnownEventTypes().Select(t => t.EventTypeName).ToHashSet();
}
