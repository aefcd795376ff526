using Mediator;
using Nova.Commands.Requests;

namespace Nova.Commands.Flavors;

/// <summary>
/// POST /flavors/{id}/os-extra_specs (merge) and PUT …/os-extra_specs/{key} (one item), admin: the given specs are
/// laid over the flavor's, the others kept. Answers the flavor's specs after the write.
/// </summary>
public sealed record SetFlavorExtraSpecs(string FlavorId, IReadOnlyDictionary<string, string> Specs, bool Item = false)
    : ICommand<IReadOnlyDictionary<string, string>>;

/// <summary>DELETE /flavors/{id}/os-extra_specs/{key} (admin); an unknown key is 404.</summary>
public sealed record DeleteFlavorExtraSpec(string FlavorId, string Key) : ICommand<bool>;

public sealed class SetFlavorExtraSpecsHandler(EventSessions sessions, Caller caller)
    : ICommandHandler<SetFlavorExtraSpecs, IReadOnlyDictionary<string, string>>
{
    public async ValueTask<IReadOnlyDictionary<string, string>> Handle(SetFlavorExtraSpecs command, CancellationToken ct)
    {
        caller.Authorize($"os_compute_api:os-flavor-extra-specs:{(command.Item ? "update" : "create")}");
        return await FlavorChanges.Change(sessions, caller, command.FlavorId, flavor =>
        {
            foreach (var (key, value) in command.Specs) flavor.ExtraSpecs[key] = value;
            return (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(flavor.ExtraSpecs);
        }, ct);
    }
}

public sealed class DeleteFlavorExtraSpecHandler(EventSessions sessions, Caller caller) : ICommandHandler<DeleteFlavorExtraSpec, bool>
{
    public async ValueTask<bool> Handle(DeleteFlavorExtraSpec command, CancellationToken ct)
    {
        caller.Authorize("os_compute_api:os-flavor-extra-specs:delete");
        return await FlavorChanges.Change(sessions, caller, command.FlavorId, flavor =>
            flavor.ExtraSpecs.Remove(command.Key)
                ? true
                : throw new NotFound($"Flavor {command.FlavorId} has no extra specs with key {command.Key}."), ct);
    }
}
