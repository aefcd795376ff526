using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.HostAggregates;
using Nova.Store.Hosts;

namespace Nova.Commands.HostAggregates;

/// <summary>POST /os-aggregates/{id}/action (admin): add_host, remove_host, set_metadata.</summary>
public sealed record ChangeHostAggregate(int Id, HostAggregateCommand Change) : ICommand<HostAggregateRecord>, IValidated
{
    public IEnumerable<string> Validate() => Change switch
    {
        HostAggregateCommand.AddHost a => HostAggregateInput.Name("host", a.Host),
        HostAggregateCommand.RemoveHost r => HostAggregateInput.Name("host", r.Host),
        HostAggregateCommand.SetMetadata m => m.Changes.SelectMany(c =>
            c.Key.Length is < 1 or > 255 ? [$"Invalid input for field/attribute metadata. Value: {c.Key}. Keys are 1 to 255 characters."]
            : c.Value is { Length: > 255 } ? [$"Invalid input for field/attribute metadata. Value: {c.Value}. Values are at most 255 characters."]
            : c.Key == HostAggregate.ZoneKey ? HostAggregateInput.Name("availability_zone", c.Value)
            : []),
        _ => [],
    };
}

public sealed class ChangeHostAggregateHandler(EventSessions sessions, Caller caller, TimeProvider clock) : ICommandHandler<ChangeHostAggregate, HostAggregateRecord>
{
    public ValueTask<HostAggregateRecord> Handle(ChangeHostAggregate command, CancellationToken ct)
    {
        caller.AuthorizeAggregate(command.Change switch
        {
            HostAggregateCommand.AddHost => "add_host",
            HostAggregateCommand.RemoveHost => "remove_host",
            _ => "set_metadata",
        });
        return HostAggregateChanges.Change(sessions, clock, command.Id, command.Change, ct);
    }
}
