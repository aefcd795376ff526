using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.ServerGroups;

namespace Nova.Api.ServerGroups;

public sealed record GetServerGroup(Guid Id) : IQuery<ServerGroup>;

public sealed class GetServerGroupHandler(IQuerySession session, Caller caller) : IQueryHandler<GetServerGroup, ServerGroup>
{
    public async ValueTask<ServerGroup> Handle(GetServerGroup query, CancellationToken ct)
    {
        var group = await session.LoadAsync<ServerGroup>(query.Id, ct);
        return group is { Deleted: false } && caller.Allows("os_compute_api:os-server-groups:show", group.ProjectId)
            ? group
            : throw new NotFound($"Instance group {query.Id} could not be found.");
    }
}
