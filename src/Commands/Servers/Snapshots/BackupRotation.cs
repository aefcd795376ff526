using Marten;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Servers.Shelving;
using Nova.Domain.Servers;
using Nova.Store.Images;

namespace Nova.Commands.Servers.Snapshots;

/// <summary>
/// Nova's _rotate_backups: the server's backups of one backup_type, newest first; every one beyond the first
/// <c>rotation</c> is deleted, oldest first. Rotation 0 keeps none, not even the backup just made (as Nova).
/// </summary>
public static class BackupRotation
{
    public static async Task Rotate(IDocumentSession session, IConfiguration config, Guid serverId, ServerSnapshot backup, CancellationToken ct)
    {
        if (backup.BackupType is not { } type || backup.Rotation is not { } rotation) return;
        // The new backup's owner holds the server's earlier ones too (Nova lists what the caller's project sees).
        if (await session.LoadAsync<ImageRecord>(backup.ImageId, ct) is not { } made) return;
        var owned = await session.Query<ImageRecord>().Where(i => i.OwnerProjectId == made.OwnerProjectId).ToListAsync(ct);
        var server = serverId.ToString();
        var backups = owned
            .Where(i => Property(i, "image_type") == "backup" && Property(i, "backup_type") == type && Property(i, "instance_uuid") == server)
            .OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id == backup.ImageId)
            .ToList();
        foreach (var excess in backups.Skip(rotation)) ShelveImages.Delete(session, config, excess.Id);
    }

    private static string? Property(ImageRecord image, string key) => image.Properties?.GetValueOrDefault(key);
}
