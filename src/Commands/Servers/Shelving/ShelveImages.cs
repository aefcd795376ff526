using Marten;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Images;
using Nova.Domain;
using Nova.Domain.Servers;
using Nova.Store.Images;

namespace Nova.Commands.Servers.Shelving;

/// <summary>
/// The image a shelved server's disk is stored as: created queued with the shelve (as Nova's API does before it
/// casts to the host), filled by the host, deleted once the server is unshelved, deleted or its shelve failed.
/// </summary>
public static class ShelveImages
{
    /// <summary>Derived from the server and the request, so a retried shelve names the same image.</summary>
    public static Guid IdFor(Guid serverId, string requestId) => NameBasedId.From($"nova-shelve-image:{serverId}:{requestId}");

    public static void Create(IDocumentSession session, Server server, Guid imageId, DateTimeOffset now) =>
        session.Store(new ImageRecord
        {
            Id = imageId,
            Name = $"{server.Name}-shelved",
            DiskFormat = "qcow2",
            ContainerFormat = "bare",
            Status = "queued",
            Visibility = "private",
            OwnerProjectId = server.ProjectId,
            MinDiskGb = server.Flavor.DiskGb,
            MinRamMb = server.Flavor.RamMb,
            CreatedAt = now,
            UpdatedAt = now,
        });

    /// <summary>
    /// Deletes the record in the caller's transaction and the data at once: should the transaction fail, its retry
    /// deletes the record, and a shelve image is never used again anyway.
    /// </summary>
    public static void Delete(IDocumentSession session, IConfiguration config, Guid imageId)
    {
        ImageTombstones.Bury(session, imageId);
        new ImageStore(config).Remove(imageId);
    }
}
