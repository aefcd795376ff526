using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.HostAggregates;
using Nova.Store.Hosts;

namespace Nova.Commands.HostAggregates;

/// <summary>DELETE /os-aggregates/{id} (admin): only an aggregate without hosts.</summary>
public sealed record DeleteHostAggregate(int Id) : ICommand<bool>;

public sealed class DeleteHostAggregateHandler(EventSessions sessions, Caller caller) : ICommandHandler<DeleteHostAggregate, bool>
{
    public async ValueTask<bool> Handle(DeleteHostAggregate command, CancellationToken ct)
    {
        caller.AuthorizeAggregate("delete");
        return await sessions.WithRetry(async session =>
        {
            var record = await session.LoadAsync<HostAggregateRecord>(command.Id, ct) ?? throw HostAggregateChanges.NotFound(command.Id);
            HostAggregateDecider.RequireEmpty(record.ToDomain());
            session.Delete(record);
            await session.SaveChangesAsync(ct);
            return true;
        });
    }
}
