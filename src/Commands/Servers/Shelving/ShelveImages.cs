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
        CreateQueued(session, server, imageId, $"{server.Name}-shelved", server.ProjectId, new Dictionary<string, string>(), now);

    /// <summary>
    /// A private qcow2 image of <paramref name="server"/>'s disk, queued until its host uploads the data (shelve,
    /// createImage, createBackup); as large as the server's flavor needs.
    /// </summary>
    public static void CreateQueued(IDocumentSession session, Server server, Guid imageId, string name, string ownerProjectId,
        Dictionary<string, string> properties, DateTimeOffset now) =>
        session.Store(new ImageRecord
        {
            Id = imageId,
            Name = name,
            DiskFormat = "qcow2",
            ContainerFormat = "bare",
            Status = "queued",
            Visibility = "private",
            OwnerProjectId = ownerProjectId,
            MinDiskGb = server.Flavor.DiskGb,
            MinRamMb = server.Flavor.RamMb,
            Properties = properties,
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
