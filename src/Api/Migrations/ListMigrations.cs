using Marten;
using Marten.Linq.MatchesSql;
using Mediator;
using Nova.Commands.Requests;
using Nova.Projections;
using Nova.Projections.Migrations;

namespace Nova.Api.Migrations;

/// <summary>GET /os-migrations filters, with the meaning Nova's <c>migration_get_all_by_filters</c> gives them.</summary>
/// <param name="Host">Either end: the source or the destination compute.</param>
/// <param name="SourceCompute">Ignored when <paramref name="Host"/> is given, as in Nova.</param>
/// <param name="UserId">The requester's user (2.80), <paramref name="ProjectId"/> the requester's project.</param>
/// <param name="Paged">2.59+: newest first, by created_at then id, one page of <paramref name="Limit"/> after <paramref name="Marker"/> (a uuid).</param>
public sealed record MigrationFilter(
    string? Host = null, string? Status = null, string? InstanceUuid = null, string? MigrationType = null,
    string? SourceCompute = null, bool Hidden = false, string? UserId = null, string? ProjectId = null,
    DateTimeOffset? ChangesSince = null, DateTimeOffset? ChangesBefore = null,
    bool Paged = false, int? Limit = null, string? Marker = null);

public sealed record ListMigrations(MigrationFilter Filter) : IQuery<IReadOnlyList<MigrationView>>;

public sealed class ListMigrationsHandler(IQuerySession session, Caller caller) : IQueryHandler<ListMigrations, IReadOnlyList<MigrationView>>
{
    public const int MaxLimit = 1000;
    public const string AllProjectsPolicy = "os_compute_api:os-migrations:index:all_projects";

    /// <summary>Every filter, the order and the page are PostgreSQL's work, on the duplicated columns where it sorts.</summary>
    public async ValueTask<IReadOnlyList<MigrationView>> Handle(ListMigrations query, CancellationToken ct)
    {
        var f = query.Filter;
        // As in Nova: any list but the caller's own project's is a rule of its own.
        if (f.ProjectId is null || f.ProjectId != caller.ProjectId) caller.Authorize(AllProjectsPolicy);
        // Nothing here is hidden (Nova hides only the copies a cross-cell resize leaves in the source cell).
        if (f.Hidden || f.Limit == 0) return [];
        IQueryable<MigrationView> q = session.Query<MigrationView>().Where(m => !m.Deleted);
        if (f.ChangesSince is { } since) q = q.Where(m => m.UpdatedAt >= since);
        if (f.ChangesBefore is { } before) q = q.Where(m => m.UpdatedAt <= before);
        if (f.Status is { } status) q = q.Where(m => m.Status == status);
        if (f.Host is { } host) q = q.Where(m => m.SourceCompute == host || m.DestCompute == host);
        else if (f.SourceCompute is { } source) q = q.Where(m => m.SourceCompute == source);
        if (f.MigrationType is { } type) q = q.Where(m => m.MigrationType == type);
        if (f.InstanceUuid is { } instance)
        {
            // Nova compares the text: what is not a server id matches no migration.
            if (!Guid.TryParse(instance, out var server)) return [];
            q = q.Where(m => m.InstanceUuid == server);
        }
        if (f.UserId is { } user) q = q.Where(m => m.UserId == user);
        if (f.ProjectId is { } project) q = q.Where(m => m.ProjectId == project);

        // Before 2.59 Nova answers every match, oldest first.
        if (!f.Paged) return await q.OrderBy(m => m.CreatedAt).ThenBy(m => m.Number).ToListAsync(ct);
        if (f.Marker is { } marker)
        {
            var at = Guid.TryParse(marker, out var id) ? await session.LoadAsync<MigrationView>(id, ct) : null;
            if (at is null || at.Deleted) throw new InvalidRequest($"Marker {marker} could not be found.");
            // The marker's position from the columns the order uses (not its JSON copy, whose sub-microsecond digits a
            // parameter would round), so the marker itself is never on the next page.
            var position = $"(SELECT created_at, number FROM {NovaStore.Schema}.mt_doc_migrationview WHERE id = ?)";
            q = q.Where(m => m.MatchesSql($"(d.created_at, d.number) < {position}", at.Id));
        }
        return await q.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Number)
            .Take(Math.Min(f.Limit ?? MaxLimit, MaxLimit)).ToListAsync(ct);
    }
}
