using Mediator;
using Nova.Commands.Requests;
using Nova.Store.Flavors;

namespace Nova.Commands.Flavors;

/// <summary>
/// addTenantAccess / removeTenantAccess (admin): shares a private flavor with a project, or stops sharing it.
/// Adding twice is 409 and removing what is not there 404 (Nova's FlavorAccessExists / FlavorAccessNotFound);
/// from 2.7 a public flavor takes no access entries (409). Answers the access list after the change.
/// </summary>
public sealed record ChangeFlavorAccess(string FlavorId, string Project, bool Add, bool RefusePublic) : ICommand<IReadOnlyList<string>>;

public sealed class ChangeFlavorAccessHandler(EventSessions sessions, Caller caller) : ICommandHandler<ChangeFlavorAccess, IReadOnlyList<string>>
{
    public async ValueTask<IReadOnlyList<string>> Handle(ChangeFlavorAccess command, CancellationToken ct)
    {
        caller.Authorize($"os_compute_api:os-flavor-access:{(command.Add ? "add_tenant_access" : "remove_tenant_access")}");
        return await FlavorChanges.Change(sessions, caller, command.FlavorId, flavor =>
        {
            if (command.Add) Add(flavor, command);
            else if (!flavor.Projects.Remove(command.Project))
                throw new NotFound($"Flavor access not found for {flavor.Id} / {command.Project} combination.");
            return (IReadOnlyList<string>)flavor.Projects.ToList();
        }, ct);
    }

    private static void Add(FlavorRecord flavor, ChangeFlavorAccess command)
    {
        if (command.RefusePublic && flavor.IsPublic) throw new Conflict("Can not add access to a public flavor.");
        if (flavor.Projects.Contains(command.Project))
            throw new Conflict($"Flavor access already exists for flavor {flavor.Id} and project {command.Project} combination.");
        flavor.Projects.Add(command.Project);
    }
}
