using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Store.Flavors;

namespace Nova.Commands.Flavors;

/// <summary>DELETE /flavors/{id} (admin).</summary>
public sealed record DeleteFlavor(string Id) : ICommand<bool>;

public sealed class DeleteFlavorHandler(IDocumentStore store, Caller caller) : ICommandHandler<DeleteFlavor, bool>
{
    public async ValueTask<bool> Handle(DeleteFlavor command, CancellationToken ct)
    {
        caller.Authorize("os_compute_api:os-flavor-manage:delete");
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<FlavorRecord>(command.Id, ct) is null)
            throw new NotFound($"Flavor {command.Id} could not be found.");
        session.Delete<FlavorRecord>(command.Id);
        await session.SaveChangesAsync(ct);
        return true;
    }
}
