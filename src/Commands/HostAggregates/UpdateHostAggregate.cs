using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.HostAggregates;
using Nova.Store.Hosts;

namespace Nova.Commands.HostAggregates;

/// <summary>PUT /os-aggregates/{id} (admin): a new name and/or availability zone.</summary>
public sealed record UpdateHostAggregate(int Id, string? Name, bool SetZone, string? AvailabilityZone)
    : ICommand<HostAggregateRecord>, IValidated
{
    public IEnumerable<string> Validate()
    {
        if (Name is null && !SetZone) yield return "Invalid input for field/attribute aggregate. Value: {}. {} does not have enough properties";
        foreach (var e in HostAggregateInput.Name("name", Name).Concat(HostAggregateInput.Name("availability_zone", AvailabilityZone)))
            yield return e;
    }
}

public sealed class UpdateHostAggregateHandler(EventSessions sessions, Caller caller, TimeProvider clock) : ICommandHandler<UpdateHostAggregate, HostAggregateRecord>
{
    public ValueTask<HostAggregateRecord> Handle(UpdateHostAggregate command, CancellationToken ct)
    {
        caller.AuthorizeAggregate("update");
        return HostAggregateChanges.Change(sessions, clock, command.Id, new HostAggregateCommand.Update(command.Name, command.SetZone, command.AvailabilityZone), ct);
    }
}
