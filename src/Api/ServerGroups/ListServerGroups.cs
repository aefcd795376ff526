using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.ServerGroups;

namespace Nova.Api.ServerGroups;

public sealed record ListServerGroups(bool AllProjects) : IQuery<IReadOnlyList<ServerGroup>>;

public sealed class ListServerGroupsHandler(IQuerySession session, Caller caller) : IQueryHandler<ListServerGroups, IReadOnlyList<ServerGroup>>
{
    public async ValueTask<IReadOnlyList<ServerGroup>> Handle(ListServerGroups query, CancellationToken ct)
    {
        IQueryable<ServerGroup> groups = session.Query<ServerGroup>();
        if (!(query.AllProjects && caller.Allows("os_compute_api:os-server-groups:index:all_projects"))) groups = groups.Where(g => g.ProjectId == caller.ProjectId);
        return (await groups.ToListAsync(ct)).Where(g => !g.Deleted).OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
    }
}
