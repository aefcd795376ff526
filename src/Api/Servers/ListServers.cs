using Npgsql;
using Marten;
using Marten.Linq.MatchesSql;
using Mediator;
using Nova.Commands.Requests;
using Nova.Projections;
using Nova.Projections.Servers;

namespace Nova.Api.Servers;

/// <summary>GET /servers and /servers/detail: one page of the caller's servers (or all projects', for an admin).</summary>
public sealed record ListServers(ServerFilter Filter) : IQuery<IReadOnlyList<ServerView>>;

public sealed class ListServersHandler(IQuerySession session, Caller caller) : IQueryHandler<ListServers, IReadOnlyList<ServerView>>
{
    public const int MaxLimit = 1000, MaxPatternLength = 1024;

    /// <summary>
    /// Every filter, the order and the page are PostgreSQL's work (the duplicated project, creation time and
    /// deleted columns, the document's JSON for the rest): a page costs the same in a project of ten servers
    /// or of ten thousand. The marker is a keyset position (creation time, then id), as Nova's is.
    /// </summary>
    public async ValueTask<IReadOnlyList<ServerView>> Handle(ListServers query, CancellationToken ct)
    {
        var f = query.Filter;
        if (f.AllTenants) caller.Authorize("os_compute_api:servers:index:get_all_tenants");
        IQueryable<ServerView> q = session.Query<ServerView>();
        q = f.ChangesSince is { } since ? q.Where(s => s.UpdatedAt >= since) : q.Where(s => !s.Deleted);
        if (!f.AllTenants) q = q.Where(s => s.ProjectId == caller.ProjectId);
        else if (f.ProjectId is { } project) q = q.Where(s => s.ProjectId == project);

        if (f.Name is { } name)
        {
            // Nova hands the pattern to the database's regular expressions, case-insensitive; PostgreSQL is the
            // judge of the pattern (its ARE syntax differs from .NET's), see the catch below. Compiling a pattern
            // costs the database time by its length; names are at most 255 characters, a pattern needs no more than this.
            if (name.Length > MaxPatternLength)
                throw new InvalidRequest($"Invalid input for query parameters name. Value: longer than {MaxPatternLength} characters.");
            q = q.Where(s => s.MatchesSql("d.data ->> 'Name' ~* ?", name));
        }
        if (f.Status is { } status)
        {
            var wanted = status.ToUpperInvariant();
            q = q.Where(s => s.Status == wanted);
        }
        if (f.Host is { } host && caller.IsAdmin) q = q.Where(s => s.Host == host);
        if (f.FlavorId is { } flavor) q = q.Where(s => s.Flavor.Id == flavor);
        if (f.ImageId is { } image) q = q.Where(s => s.ImageId == image);

        // The tag filters are PostgreSQL's jsonb tests on the view's Tags array (jsonb_exists_all/any are the ?& and ?|
        // operators, which a '?' placeholder would not let us write). The array is cast to object: a bare string[] would be
        // taken as MatchesSql's params array, one parameter per tag.
        const string tags = "coalesce(d.data -> 'Tags', '[]'::jsonb)";
        if (f.Tags is { Count: > 0 } all) q = q.Where(s => s.MatchesSql($"jsonb_exists_all({tags}, ?)", (object)all.ToArray()));
        if (f.TagsAny is { Count: > 0 } any) q = q.Where(s => s.MatchesSql($"jsonb_exists_any({tags}, ?)", (object)any.ToArray()));
        if (f.NotTags is { Count: > 0 } notAll) q = q.Where(s => s.MatchesSql($"not jsonb_exists_all({tags}, ?)", (object)notAll.ToArray()));
        if (f.NotTagsAny is { Count: > 0 } notAny) q = q.Where(s => s.MatchesSql($"not jsonb_exists_any({tags}, ?)", (object)notAny.ToArray()));

        if (f.Marker is { } marker)
        {
            // The marker must be a server this caller could list (Nova: "marker [id] not found" otherwise).
            var at = await session.LoadAsync<ServerView>(marker, ct);
            if (at is null || (!f.AllTenants && at.ProjectId != caller.ProjectId))
                throw new InvalidRequest($"marker [{marker}] not found");
            // The marker's position is read from the same column the order uses (not its JSON copy, whose
            // sub-microsecond digits a parameter would round), so the marker itself is never on the next page.
            var position = $"(SELECT created_at, id FROM {NovaStore.Schema}.mt_doc_serverview WHERE id = ?)";
            q = f.SortAscending
                ? q.Where(s => s.MatchesSql($"(d.created_at, d.id) > {position}", at.Id))
                : q.Where(s => s.MatchesSql($"(d.created_at, d.id) < {position}", at.Id));
        }
        q = f.SortAscending ? q.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id) : q.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id);
        try
        {
            return await q.Take(Math.Min(f.Limit ?? MaxLimit, MaxLimit)).ToListAsync(ct);
        }
        catch (Exception e) when ((e as PostgresException ?? e.InnerException as PostgresException)?.SqlState == PostgresErrorCodes.InvalidRegularExpression)
        {
            throw new InvalidRequest($"Invalid input for query parameters name. Value: {f.Name}. Not a valid regular expression: {e.InnerException?.Message ?? e.Message}");
        }
    }
}

/// <summary>GET /servers and /servers/detail filters (Nova's names).</summary>
public sealed record ServerFilter(
    string? Name = null, string? Status = null, int? Limit = null, Guid? Marker = null,
    bool AllTenants = false, string? ProjectId = null, string? Host = null, string? FlavorId = null,
    string? ImageId = null, DateTimeOffset? ChangesSince = null, bool SortAscending = false)
{
    /// <summary>tags: servers with all of these; tags-any: with any; not-tags: without all of them; not-tags-any: with none.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
    public IReadOnlyList<string>? TagsAny { get; init; }
    public IReadOnlyList<string>? NotTags { get; init; }
    public IReadOnlyList<string>? NotTagsAny { get; init; }
}
