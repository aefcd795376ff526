using Marten;
using Mediator;
using Nova.Commands.Quotas;
using Nova.Commands.Requests;
using Nova.Domain;
using Nova.Domain.ServerGroups;

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

public sealed class CreateServerGroupHandler(IDocumentStore store, EventSessions sessions, Caller caller, QuotaDefaults quotas) : ICommandHandler<CreateServerGroup, ServerGroup>
{
    public async ValueTask<ServerGroup> Handle(CreateServerGroup command, CancellationToken ct)
    {
        await using (var query = store.QuerySession())
        {
            var limit = (await quotas.For(query, caller.ProjectId, ct)).ServerGroups;
            var used = (await query.Query<ServerGroup>().Where(g => g.ProjectId == caller.ProjectId).ToListAsync(ct)).Count(g => !g.Deleted);
            if (limit >= 0 && used >= limit) throw new Domain.Quotas.QuotaExceeded("server_groups", 1, used, limit);
        }
        var id = NameBasedId.From($"nova-server-group:{caller.ProjectId}:{caller.CreationKey}");
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
}
