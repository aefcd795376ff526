using Marten;
using Nova.Commands.Requests;
using Nova.Commands.Servers.Shelving;
using Nova.Domain;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Snapshots;

/// <summary>The images createImage and createBackup write: created queued with the request, with Nova's properties.</summary>
public static class ServerImages
{
    /// <summary>Derived from the server and the request, so a retried request names the same image.</summary>
    public static Guid IdFor(Guid serverId, string requestId) => NameBasedId.From($"nova-snapshot-image:{serverId}:{requestId}");

    /// <summary>
    /// Nova's compute_utils.create_image: the caller's user metadata, then instance_uuid, image_type (snapshot or backup),
    /// base_image_ref, user_id and owner; owned by the caller's project, as Glance makes the image the caller creates.
    /// </summary>
    public static void Create(IDocumentSession session, Server server, Caller caller, Guid imageId, string name, string imageType,
        IReadOnlyDictionary<string, string>? metadata, string? backupType, DateTimeOffset now)
    {
        var properties = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
        {
            ["instance_uuid"] = server.Id.ToString(),
            ["image_type"] = imageType,
            ["base_image_ref"] = server.ImageId,
            ["user_id"] = caller.UserId,
            ["owner_id"] = caller.ProjectId,
            ["image_location"] = "snapshot",
            ["image_state"] = "available",
        };
        if (backupType is not null) properties["backup_type"] = backupType;
        ShelveImages.CreateQueued(session, server, imageId, name, caller.ProjectId, properties, now);
    }
}
