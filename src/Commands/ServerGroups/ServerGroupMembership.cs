using Marten;
using Nova.Commands.Requests;
using Nova.Domain.ServerGroups;

namespace Nova.Commands.ServerGroups;

/// <summary>Membership changes on a group's stream, in the caller's transaction (create, schedule, delete).</summary>
public static class ServerGroupMembership
{
    public static async Task Join(IDocumentSession session, Guid groupId, string projectId, IEnumerable<Guid> servers,
        int maxMembers, CancellationToken ct)
    {
        if (groupId == Guid.Empty) throw new InvalidRequest($"Invalid server group {groupId}: it does not exist in this project.");
        var stream = await session.Events.FetchForExclusiveWriting<ServerGroup>(groupId, ct);
        if (stream.Aggregate is not { Deleted: false } group || group.ProjectId != projectId)
            throw new InvalidRequest($"Invalid server group {groupId}: it does not exist in this project.");
        var state = group;
        foreach (var server in servers)
        {
            var events = ServerGroupDecider.Decide(new ServerGroupCommand.AddMember(server, maxMembers), state);
            stream.AppendMany(events);
            state = events.Aggregate(state, (g, e) => ServerGroup.Evolve(g, e));
        }
    }

    public static async Task Leave(IDocumentSession session, Guid groupId, Guid serverId, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<ServerGroup>(groupId, ct);
        var events = ServerGroupDecider.Decide(new ServerGroupCommand.RemoveMember(serverId), stream.Aggregate);
        if (events.Count > 0) stream.AppendMany(events);
    }
}
