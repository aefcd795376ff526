using Marten;
using Mediator;
using Nova.Commands.Quotas;
using Nova.Commands.Requests;
using Nova.Domain;
using Nova.Domain.ServerGroups;
using Nova.Store.Quotas;

namespace Nova.Commands.ServerGroups;

/// <summary>POST /os-server-groups.</summary>
public sealed record CreateServerGroup(string Name, string Policy) : ICommand<ServerGroup>, IValidated
{
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 255) yield return "Invalid input for field/attribute name.";
        if (!ServerGroup.Policies.Contains(Policy))
            yield return $"Invalid input for field/attribute policy. Value: {Policy}. '{Policy}' is not one of ['{string.Join("', '", ServerGroup.Policies)}']";
    }
}

/// <summary>DELETE /os-server-groups/{id}: its members keep running, the policy no longer applies.</summary>
public sealed record DeleteServerGroup(Guid GroupId) : ICommand<bool>;

public sealed class ServerGroupHandlers(IDocumentStore store, EventSessions sessions, Caller caller, QuotaDefaults quotas)
    : ICommandHandler<CreateServerGroup, ServerGroup>, ICommandHandler<DeleteServerGroup, bool>
{
    public async ValueTask<ServerGroup> Handle(CreateServerGroup command, CancellationToken ct)
    {
        await using (var query = store.QuerySession())
        {
            var limit = quotas.For(await query.LoadAsync<QuotaSetRecord>(caller.ProjectId, ct)).ServerGroups;
            var used = (await query.Query<ServerGroup>().Where(g => g.ProjectId == caller.ProjectId).ToListAsync(ct)).Count(g => !g.Deleted);
            if (limit >= 0 && used >= limit) throw new Domain.Quotas.QuotaExceeded("server_groups", 1, used, limit);
        }
        var id = NameBasedId.From($"nova-server-group:{caller.ProjectId}:{caller.RequestId}");
        await using var session = sessions.Open();
        var events = ServerGroupDecider.Decide(
            new ServerGroupCommand.Create(id, command.Name.Trim(), command.Policy, caller.ProjectId, caller.UserId), null);
        if (events.Count > 0)
        {
            session.Events.StartStream<ServerGroup>(id, events);
            try { await session.SaveChangesAsync(ct); }
            catch (Exception e) when (EventSessions.IsLostRace(e)) { /* a retried request: the group exists */ }
        }
        await using var read = store.QuerySession();
        return await read.LoadAsync<ServerGroup>(id, ct) ?? throw new InvalidOperationException("server group not stored");
    }

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
