using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;
using Nova.Projections.InstanceActions;

namespace Nova.Api.InstanceActions;

public sealed record GetInstanceActions(Guid ServerId) : IQuery<InstanceActionLog>;

public sealed class GetInstanceActionsHandler(IQuerySession session, Caller caller) : IQueryHandler<GetInstanceActions, InstanceActionLog>
{
    public async ValueTask<InstanceActionLog> Handle(GetInstanceActions query, CancellationToken ct)
    {
        var log = await session.LoadAsync<InstanceActionLog>(query.ServerId, ct);
        if (log is null || !caller.Allows("os_compute_api:os-instance-actions:list", log.ProjectId)) throw new ServerNotFound(query.ServerId);
        return log;
    }
}
