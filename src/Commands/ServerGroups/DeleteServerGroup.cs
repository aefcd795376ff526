using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.ServerGroups;

namespace Nova.Commands.ServerGroups;

/// <summary>DELETE /os-server-groups/{id}: its members keep running, the policy no longer applies.</summary>
public sealed record DeleteServerGroup(Guid GroupId) : ICommand<bool>;

public sealed class DeleteServerGroupHandler(EventSessions sessions, Caller caller) : ICommandHandler<DeleteServerGroup, bool>
{
    public async ValueTask<bool> Handle(DeleteServerGroup command, CancellationToken ct)
    {
        await using var session = sessions.Open();
        var stream = await session.Events.FetchForExclusiveWriting<ServerGroup>(command.GroupId, ct);
        if (stream.Aggregate is not { Deleted: false } group || !caller.Allows("os_compute_api:os-server-groups:show", group.ProjectId))
            throw new NotFound($"Instance group {command.GroupId} could not be found.");
        stream.AppendMany(ServerGroupDecider.Decide(new ServerGroupCommand.Delete(), group));
        await session.SaveChangesAsync(ct);
        return true;
    }
}
