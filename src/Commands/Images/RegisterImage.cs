using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Store.Images;

namespace Nova.Commands.Images;

/// <summary>
/// POST /image/v2/images: a queued record, data to follow. <paramref name="Id"/> may be chosen by the
/// client, as in Glance; <paramref name="ExpectedHashValue"/> (a sha256) binds the later upload.
/// </summary>
public sealed record RegisterImage(
    Guid? Id, string? Name, string DiskFormat, string ContainerFormat, string Visibility,
    int MinDiskGb, int MinRamMb, string? ExpectedHashValue) : ICommand<ImageRecord>, IValidated
{
    public static readonly string[] DiskFormats = ["qcow2", "raw"];
    public static readonly string[] ContainerFormats = ["bare"];
    public static readonly string[] Visibilities = ["public", "private"];

    public IEnumerable<string> Validate()
    {
        if (Name is { Length: > 255 }) yield return "Invalid input for field/attribute name. Value: longer than 255 characters.";
        if (!DiskFormats.Contains(DiskFormat))
            yield return $"Invalid value '{DiskFormat}' for disk_format: expected one of {string.Join(", ", DiskFormats)}.";
        if (!ContainerFormats.Contains(ContainerFormat))
            yield return $"Invalid value '{ContainerFormat}' for container_format: expected one of {string.Join(", ", ContainerFormats)}.";
        if (!Visibilities.Contains(Visibility))
            yield return $"Invalid value '{Visibility}' for visibility: expected one of {string.Join(", ", Visibilities)}.";
        if (MinDiskGb < 0) yield return "Invalid input for field/attribute min_disk. Value: must be at least 0.";
        if (MinRamMb < 0) yield return "Invalid input for field/attribute min_ram. Value: must be at least 0.";
        if (ExpectedHashValue is not null && !ImageDigests.IsHex(ExpectedHashValue, 64))
            yield return "Invalid input for field/attribute os_hash_value: expected a sha256 as 64 hex digits.";
    }
}

public sealed class RegisterImageHandler(IDocumentStore store, Caller caller, TimeProvider clock, Microsoft.Extensions.Configuration.IConfiguration config)
    : ICommandHandler<RegisterImage, ImageRecord>
{
    public async ValueTask<ImageRecord> Handle(RegisterImage command, CancellationToken ct)
    {
        // Glance's default policy: only admins publicize images.
        if (command.Visibility == "public" && !caller.Allows("publicize_image"))
            throw new Forbidden("You are not authorized to complete publicize_image action.");
        var id = command.Id ?? Guid.NewGuid();
        await using var session = store.LightweightSession();
        if (command.Id is not null
            && (await session.LoadAsync<ImageRecord>(id, ct) is not null || await ImageTombstones.WasDeleted(session, id, ct)))
            throw new Conflict($"Image with identifier {id} already exists!");
        await ImageQuota.From(config).RequireRoomForImage(session, caller.ProjectId, ct);
        var now = clock.GetUtcNow();
        var image = new ImageRecord
        {
            Id = id, Name = command.Name ?? "", DiskFormat = command.DiskFormat, ContainerFormat = command.ContainerFormat,
            Status = "queued", Visibility = command.Visibility, OwnerProjectId = caller.ProjectId,
            MinDiskGb = command.MinDiskGb, MinRamMb = command.MinRamMb,
            ExpectedHashValue = command.ExpectedHashValue?.ToLowerInvariant(), CreatedAt = now, UpdatedAt = now,
        };
        session.Insert(image);
        await session.SaveChangesAsync(ct);
        return image;
    }
}
