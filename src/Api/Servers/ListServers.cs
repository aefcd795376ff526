using Npgsql;
using Marten;
using Marten.Linq.MatchesSql;
using Mediator;
using Nova.Commands.Requests;
using Nova.Projections;
using Nova.Projections.Servers;

namespace Nova.Api.Servers;

/// <summary>GET /servers and /servers/detail: one page of the caller's servers (or all projects', for an admin).</summary>
/// <param name="Detail">Which of Nova's two all-tenants rules applies (<c>index:</c> or <c>detail:get_all_tenants</c>).</param>
public sealed record ListServers(ServerFilter Filter, bool Detail = false) : IQuery<IReadOnlyList<ServerView>>;

public sealed class ListServersHandler(IQuerySession session, Caller caller) : IQueryHandler<ListServers, IReadOnlyList<ServerView>>
{
    public const int MaxLimit = 1000;

    /// <summary>
    /// Every filter, the order and the page are PostgreSQL's work (the duplicated project, creation, update and deleted
    /// columns, the document's JSON for the rest): a page costs the same in a project of ten servers or of ten thousand.
    /// The marker is a keyset position in the page's own order, as Nova's paginate_query makes it.
    /// </summary>
    public async ValueTask<IReadOnlyList<ServerView>> Handle(ListServers query, CancellationToken ct)
    {
        var f = query.Filter;
        if (f.AllTenants) caller.Authorize($"os_compute_api:servers:{(query.Detail ? "detail" : "index")}:get_all_tenants");
        var limit = Math.Min(f.Limit ?? MaxLimit, MaxLimit);
        if (f.MatchesNothing || limit == 0) return [];

        IQueryable<ServerView> q = session.Query<ServerView>();
        if (!f.AllTenants) q = q.Where(s => s.ProjectId == caller.ProjectId);
        else if (f.ProjectId is { } project) q = q.Where(s => s.ProjectId == project);

        // Nova's deleted / soft_deleted: a soft-deleted server is listed with the deleted ones unless soft_deleted says otherwise.
        const string softDeleted = "d.data ->> 'VmState' = 'soft-delete'";
        if (f.Deleted == true)
            q = f.SoftDeleted == false ? q.Where(s => s.Deleted) : q.Where(s => s.MatchesSql($"(d.deleted or {softDeleted})"));
        else if (f.Deleted == false)
            q = f.SoftDeleted == true ? q.Where(s => !s.Deleted) : q.Where(s => s.MatchesSql($"(not d.deleted and not {softDeleted})"));
        if (f.ChangesSince is { } since) q = q.Where(s => s.UpdatedAt >= since);
        if (f.ChangesBefore is { } before) q = q.Where(s => s.UpdatedAt <= before);

        foreach (var (column, value) in f.Exact)
        {
            if (column == "uuid")
            {
                // Nova's uuid column is text: what is not a uuid is no server's.
                if (!Guid.TryParse(value, out var id)) return [];
                q = q.Where(s => s.Id == id);
                continue;
            }
            q = q.Where(s => s.MatchesSql($"{Column(column)} = ?", value));
        }
        foreach (var (column, pattern) in f.Patterns)
            q = q.Where(s => s.MatchesSql($"{Column(column)} ~* ?", pattern));
        // Arrays are cast to object: a bare string[] would be taken as MatchesSql's params array, one parameter per item.
        if (f.VmStates is { } vmStates) q = q.Where(s => s.MatchesSql("d.data ->> 'VmState' = any(?)", (object)vmStates.ToArray()));
        if (f.TaskStates is { } taskStates) q = q.Where(s => s.MatchesSql("d.data ->> 'TaskState' = any(?)", (object)taskStates.ToArray()));
        if (f.Locked is { } locked) q = q.Where(s => s.Locked == locked);

        // The tag filters are PostgreSQL's jsonb tests on the view's Tags array (jsonb_exists_all/any are the ?& and ?|
        // operators, which a '?' placeholder would not let us write).
        const string tags = "coalesce(d.data -> 'Tags', '[]'::jsonb)";
        if (f.Tags is { Count: > 0 } all) q = q.Where(s => s.MatchesSql($"jsonb_exists_all({tags}, ?)", (object)all.ToArray()));
        if (f.TagsAny is { Count: > 0 } any) q = q.Where(s => s.MatchesSql($"jsonb_exists_any({tags}, ?)", (object)any.ToArray()));
        if (f.NotTags is { Count: > 0 } notAll) q = q.Where(s => s.MatchesSql($"not jsonb_exists_all({tags}, ?)", (object)notAll.ToArray()));
        if (f.NotTagsAny is { Count: > 0 } notAny) q = q.Where(s => s.MatchesSql($"not jsonb_exists_any({tags}, ?)", (object)notAny.ToArray()));

        var order = Order(f.Sort);
        if (f.Marker is { } marker)
        {
            // The marker must be a server this caller could list (Nova: "marker [id] not found" otherwise); a deleted one
            // still marks a position, as Nova reads markers with read_deleted=yes.
            var at = await session.LoadAsync<ServerView>(marker, ct);
            if (at is null || (!f.AllTenants && at.ProjectId != caller.ProjectId))
                throw new InvalidRequest($"marker [{marker}] not found");
            q = q.Where(s => s.MatchesSql(After(order), at.Id));
        }
        for (var i = 0; i < order.Count; i++)
        {
            var by = order[i].Sql("d") + (order[i].Descending ? " desc" : " asc");
            q = i == 0 ? q.OrderBySql(by) : q.ThenBySql(by);
        }
        try
        {
            return await q.Take(limit).ToListAsync(ct);
        }
        catch (Exception e) when ((e as PostgresException ?? e.InnerException as PostgresException)?.SqlState == PostgresErrorCodes.InvalidRegularExpression)
        {
            var patterns = string.Join(", ", f.Patterns.Select(p => $"{p.Key}={p.Value}"));
            throw new InvalidRequest($"Invalid input for query parameters ({patterns}): not a valid regular expression: {e.InnerException?.Message ?? e.Message}");
        }
    }

    private static string Column(string column) =>
        ServerColumns.Text(column) ?? throw new InvalidOperationException($"No server column {column}");

    private sealed record OrderKey(Func<string, string> Sql, bool Descending);

    /// <summary>
    /// Nova's process_sort_params: the asked keys, then created_at and the id (its last tie-break, our uuid) in the first
    /// key's direction, so that the order is total and a marker names one position in it.
    /// </summary>
    private static List<OrderKey> Order(IReadOnlyList<ServerSort> sort)
    {
        var keys = sort.Count > 0 ? sort.ToList() : [new ServerSort("created_at", Descending: true)];
        var descending = keys[0].Descending;
        foreach (var tieBreak in new[] { "created_at", "uuid" })
            if (keys.All(k => k.Key != tieBreak)) keys.Add(new ServerSort(tieBreak, descending));
        return keys
            .Where(k => ServerColumns.Sort(k.Key) is not null)
            .Select(k => new OrderKey(alias => ServerColumns.Sort(k.Key, alias)!, k.Descending))
            .ToList();
    }

    /// <summary>
    /// Rows after the marker (the one parameter) in <paramref name="order"/>. One direction is a row comparison the index
    /// on the order can answer; mixed directions are the lexicographic expansion (k1 &gt; m1) or (k1 = m1 and k2 &lt; m2) ...
    /// The marker's values are read from its row by the same expressions, never through a rounded parameter.
    /// </summary>
    private static string After(IReadOnlyList<OrderKey> order)
    {
        var table = $"{NovaStore.Schema}.mt_doc_serverview";
        if (order.All(k => k.Descending == order[0].Descending))
        {
            var comparison = order[0].Descending ? "<" : ">";
            return $"({string.Join(", ", order.Select(k => k.Sql("d")))}) {comparison} " +
                   $"(select {string.Join(", ", order.Select(k => k.Sql("m")))} from {table} m where m.id = ?)";
        }
        var terms = order.Select((key, i) => string.Join(" and ",
            order.Take(i).Select(k => $"{k.Sql("d")} = {k.Sql("m")}")
                .Append($"{key.Sql("d")} {(key.Descending ? "<" : ">")} {key.Sql("m")}")));
        return $"exists (select 1 from {table} m where m.id = ? and ({string.Join(" or ", terms.Select(t => $"({t})"))}))";
    }
}

/// <summary>One sort key (a Nova instance column, see <see cref="ServerColumns"/>) and its direction.</summary>
public sealed record ServerSort(string Key, bool Descending);

/// <summary>
/// What GET /servers asks the read model for, in Nova's database terms (after the API's rules on who may filter by
/// what, see <see cref="ServerListParameters"/>): instance columns matched exactly or as patterns, the state sets a
/// status stands for, the deleted switches, the time window, the tags, the sort and the page.
/// </summary>
public sealed record ServerFilter
{
    /// <summary>Every project's servers (an admin's all_tenants), or only <see cref="ProjectId"/>'s when given.</summary>
    public bool AllTenants { get; init; }
    public string? ProjectId { get; init; }
    /// <summary>Exact matches: a column of <see cref="ServerColumns"/> (or <c>uuid</c>) and its value.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Exact { get; init; } = [];
    /// <summary>Case-insensitive regular expressions searched in a column's text, as Nova's database filters do.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Patterns { get; init; } = [];
    /// <summary>A status filter's vm states and, unless it stands for a state's every task, its task states.</summary>
    public IReadOnlyList<string>? VmStates { get; init; }
    public IReadOnlyList<string>? TaskStates { get; init; }
    public bool? Locked { get; init; }
    /// <summary>true: only deleted servers; false: only live ones; null: both (a changes-since/before window).</summary>
    public bool? Deleted { get; init; } = false;
    /// <summary>Whether soft-deleted servers count as deleted (Nova's soft_deleted; by default they do).</summary>
    public bool? SoftDeleted { get; init; }
    public DateTimeOffset? ChangesSince { get; init; }
    public DateTimeOffset? ChangesBefore { get; init; }
    /// <summary>tags: servers with all of these; tags-any: with any; not-tags: without all of them; not-tags-any: with none.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
    public IReadOnlyList<string>? TagsAny { get; init; }
    public IReadOnlyList<string>? NotTags { get; init; }
    public IReadOnlyList<string>? NotTagsAny { get; init; }
    /// <summary>A filter no server can pass (an address filter with no networks, an unknown status before 2.38).</summary>
    public bool MatchesNothing { get; init; }
    /// <summary>The asked order (empty: created_at desc); created_at and the id break ties.</summary>
    public IReadOnlyList<ServerSort> Sort { get; init; } = [];
    public int? Limit { get; init; }
    public Guid? Marker { get; init; }
}
