using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Store;
using Nova.Store.Flavors;

namespace Nova.Commands.Flavors;

/// <summary>POST /flavors (admin). <paramref name="Id"/> null or "auto" gets a generated UUID, as in Nova.</summary>
public sealed record CreateFlavor(
    string? Id, string Name, int RamMb, int Vcpus, int DiskGb, int EphemeralGb, int SwapMb,
    double RxtxFactor, bool IsPublic, string? Description) : ICommand<FlavorRecord>, IValidated
{
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 255) yield return "Invalid input for field/attribute name.";
        if (RamMb < 1) yield return "Invalid input for field/attribute ram. Value: must be at least 1.";
        if (Vcpus < 1) yield return "Invalid input for field/attribute vcpus. Value: must be at least 1.";
        if (DiskGb < 0) yield return "Invalid input for field/attribute disk. Value: must be at least 0.";
        if (EphemeralGb < 0 || SwapMb < 0) yield return "Invalid input for field/attribute ephemeral or swap.";
        // Nova's schema caps rxtx_factor at the database's float; the description at 65535.
        if (RxtxFactor is <= 0 or > 3.40282e38) yield return "Invalid input for field/attribute rxtx_factor.";
        if (Description is { Length: > 65535 }) yield return "Invalid input for field/attribute description. Value: longer than 65535 characters.";
        // A boot claims disk + ephemeral as one number: their sum must fit it, as each part does.
        if ((long)DiskGb + EphemeralGb > int.MaxValue)
            yield return $"Invalid input for field/attribute disk. Value: disk + OS-FLV-EXT-DATA:ephemeral exceeds {int.MaxValue}.";
        if (Id is { Length: > 255 }) yield return "Invalid input for field/attribute id.";
    }
}

public sealed class CreateFlavorHandler(IDocumentStore store, Caller caller, TimeProvider clock) : ICommandHandler<CreateFlavor, FlavorRecord>
{
    public async ValueTask<FlavorRecord> Handle(CreateFlavor command, CancellationToken ct)
    {
        caller.Authorize("os_compute_api:os-flavor-manage:create");
        var id = command.Id is null or "auto" or "" ? Guid.NewGuid().ToString() : command.Id;
        await using var session = store.LightweightSession();
        var flavor = new FlavorRecord
        {
            Id = id, Name = command.Name, RamMb = command.RamMb, Vcpus = command.Vcpus, DiskGb = command.DiskGb,
            EphemeralGb = command.EphemeralGb, SwapMb = command.SwapMb, RxtxFactor = command.RxtxFactor,
            IsPublic = command.IsPublic, Description = command.Description, CreatedAt = clock.GetUtcNow(),
        };
        session.Insert(flavor);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        // The id and the name are unique keys: of two concurrent creates, the database refuses the second.
        catch (Exception e) when (UniqueNames.Duplicate(e))
        {
            throw new Conflict(UniqueNames.Refused(e, UniqueNames.FlavorName)
                ? $"Flavor with name {command.Name} already exists."
                : $"Flavor with ID {id} already exists.");
        }
        return flavor;
    }
}
