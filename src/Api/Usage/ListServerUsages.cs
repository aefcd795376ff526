using Marten;
using Marten.Linq.MatchesSql;
using Mediator;
using Nova.Commands.Requests;
using Nova.Projections;
using Nova.Projections.Usage;

namespace Nova.Api.Usage;

/// <summary>
/// The servers that ran within [<paramref name="Start"/>, <paramref name="Stop"/>), all projects' or one's, in Nova's order
/// (project, then server id) from after <paramref name="Marker"/>, at most <paramref name="Limit"/> of them.
/// </summary>
public sealed record ListServerUsages(string? ProjectId, DateTimeOffset Start, DateTimeOffset Stop, int Limit, Guid? Marker)
    : IQuery<IReadOnlyList<ServerUsageView>>;

public sealed class ListServerUsagesHandler(IQuerySession session) : IQueryHandler<ListServerUsages, IReadOnlyList<ServerUsageView>>
{
    /// <summary>Nova's <c>instance_get_active_by_window_joined</c>: launched before the end, not terminated before the start.</summary>
    public async ValueTask<IReadOnlyList<ServerUsageView>> Handle(ListServerUsages query, CancellationToken ct)
    {
        if (query.Limit <= 0) return [];
        var (start, stop) = (query.Start, query.Stop);
        IQueryable<ServerUsageView> q = session.Query<ServerUsageView>()
            .Where(u => u.StartedAt != null && u.StartedAt < stop && (u.EndedAt == null || u.EndedAt > start));
        if (query.ProjectId is { } project) q = q.Where(u => u.ProjectId == project);
        if (query.Marker is { } marker)
        {
            // Any server that ever ran is a marker, as any instance, deleted or not, is Nova's.
            if (await session.LoadAsync<ServerUsageView>(marker, ct) is null)
                throw new InvalidRequest($"Marker {marker} could not be found.");
            var position = $"(SELECT project_id, id FROM {NovaStore.Schema}.mt_doc_serverusageview WHERE id = ?)";
            q = q.Where(u => u.MatchesSql($"(d.project_id, d.id) > {position}", marker));
        }
        return await q.OrderBy(u => u.ProjectId).ThenBy(u => u.Id).Take(query.Limit).ToListAsync(ct);
    }
}
