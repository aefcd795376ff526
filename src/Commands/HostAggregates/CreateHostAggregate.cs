using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.HostAggregates;
using Nova.Store.Hosts;

namespace Nova.Commands.HostAggregates;

/// <summary>POST /os-aggregates (admin).</summary>
public sealed record CreateHostAggregate(string Name, string? AvailabilityZone) : ICommand<HostAggregateRecord>, IValidated
{
    public IEnumerable<string> Validate() =>
        HostAggregateInput.Name("name", Name).Concat(HostAggregateInput.Name("availability_zone", AvailabilityZone));
}

public sealed class CreateHostAggregateHandler(EventSessions sessions, Caller caller, TimeProvider clock) : ICommandHandler<CreateHostAggregate, HostAggregateRecord>
{
    public async ValueTask<HostAggregateRecord> Handle(CreateHostAggregate command, CancellationToken ct)
    {
        caller.AuthorizeAggregate("create");
        return await sessions.WithRetry(async session =>
        {
            var all = await session.Query<HostAggregateRecord>().ToListAsync(ct);
            HostAggregateDecider.RequireUniqueName(command.Name, all.Select(a => a.ToDomain()));
            var now = clock.GetUtcNow();
            var record = new HostAggregateRecord { Uuid = Guid.NewGuid(), Name = command.Name, CreatedAt = now };
            if (command.AvailabilityZone is { } zone) record.Metadata[HostAggregate.ZoneKey] = zone;
            session.Insert(record);
            await HostAggregateChanges.Save(session, record.Name, ct);
            return record;
        });
    }
}
