using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Projections;

namespace Nova.Api.Audit;

/// <summary>Whose events a feed follows: one server's, or every server's of one project.</summary>
public sealed record EventFeedScope(Guid? ServerId, string? ProjectId);

/// <summary>
/// The events of a scope with <paramref name="After"/> &lt; sequence &lt;= <paramref name="UpTo"/>, in sequence
/// order, at most <paramref name="Limit"/>. Who may read what is the history's rule: a server's owner
/// or an admin (another project's server does not exist), a project's own members or an admin.
/// </summary>
public sealed record ReadServerEventFeed(EventFeedScope Scope, long After, long UpTo, int Limit)
    : IQuery<IReadOnlyList<HistoryEntry>>, IValidated
{
    public IEnumerable<string> Validate()
    {
        if (Scope.ServerId is null == Scope.ProjectId is null) yield return "Exactly one of server_id and project_id is required.";
        if (Scope.ProjectId is "") yield return "Invalid input for field/attribute project_id. Value: must not be empty.";
        if (After < 0) yield return $"Invalid input for field/attribute after_position. Value: {After}. Must be 0 or more.";
        if (Limit < 1) yield return "Invalid input for field/attribute limit. Value: must be at least 1.";
    }
}

public sealed class ReadServerEventFeedHandler(IQuerySession session, Caller caller) : IQueryHandler<ReadServerEventFeed, IReadOnlyList<HistoryEntry>>
{
    // A project's servers are the streams whose first event is its ServerCreateRequested: exact at
    // every position, unlike the asynchronously built ServerView. Both lookups use the primary key
    // and the (stream_id, version) index, so a poll costs a range scan of the new events only.
    private static readonly string ProjectSequencesSql = $"""
        select e.seq_id from {NovaStore.Schema}.mt_events e
        join {NovaStore.Schema}.mt_events c on c.stream_id = e.stream_id and c.version = 1
        where e.seq_id > ? and e.seq_id <= ? and c.type = 'server_create_requested' and c.data ->> 'ProjectId' = ?
        order by e.seq_id limit ?
        """;

    public async ValueTask<IReadOnlyList<HistoryEntry>> Handle(ReadServerEventFeed query, CancellationToken ct)
    {
        if (query.Scope.ServerId is { } serverId)
        {
            await ServerStreamOwner.RequireVisible(session, serverId, caller, "os_compute_api:servers:events:list", ct);
            if (query.After >= query.UpTo) return [];
            var events = await session.Events.QueryAllRawEvents()
                .Where(e => e.StreamId == serverId && e.Sequence > query.After && e.Sequence <= query.UpTo)
                .OrderBy(e => e.Sequence).Take(query.Limit).ToListAsync(ct);
            return events.Select(HistoryEntry.From).ToList();
        }

        var project = query.Scope.ProjectId!;
        caller.Authorize("os_compute_api:servers:events:list", project);
        if (query.After >= query.UpTo) return [];
        var sequences = (await session.QueryAsync<long>(ProjectSequencesSql, ct, query.After, query.UpTo, project, query.Limit)).ToList();
        if (sequences.Count == 0) return [];
        var (first, last) = (sequences[0], sequences[^1]);
        var found = await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence >= first && e.Sequence <= last && sequences.Contains(e.Sequence))
            .OrderBy(e => e.Sequence).ToListAsync(ct);
        return found.Select(HistoryEntry.From).ToList();
    }
}
