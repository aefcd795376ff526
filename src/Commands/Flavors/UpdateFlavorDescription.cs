using Mediator;
using Nova.Commands.Requests;
using Nova.Store.Flavors;

namespace Nova.Commands.Flavors;

/// <summary>PUT /flavors/{id} (2.55, admin): the description is the one thing a flavor lets change after create.</summary>
public sealed record UpdateFlavorDescription(string Id, string? Description) : ICommand<FlavorRecord>;

public sealed class UpdateFlavorDescriptionHandler(EventSessions sessions, Caller caller, TimeProvider clock)
    : ICommandHandler<UpdateFlavorDescription, FlavorRecord>
{
    public async ValueTask<FlavorRecord> Handle(UpdateFlavorDescription command, CancellationToken ct)
    {
        caller.Authorize("os_compute_api:os-flavor-manage:update");
        return await FlavorChanges.Change(sessions, caller, command.Id, flavor =>
        {
            flavor.Description = command.Description;
            flavor.UpdatedAt = clock.GetUtcNow();
            return flavor;
        }, ct);
    }
}
