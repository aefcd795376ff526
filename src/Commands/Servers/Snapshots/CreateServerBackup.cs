using Mediator;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Images;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Snapshots;

/// <summary>
/// createBackup: as createImage (task image_backup → image_pending_upload → image_uploading), the image marked
/// image_type=backup with its backup_type; once stored, the server's oldest backups of that type beyond
/// <paramref name="Rotation"/> are deleted (<see cref="BackupRotation"/>).
/// </summary>
public sealed record CreateServerBackup(
    Guid ServerId, string Name, string BackupType, int Rotation, IReadOnlyDictionary<string, string>? Metadata) : ICommand<ServerImageWrite>;

public sealed class CreateServerBackupHandler(EventSessions sessions, Caller caller, TimeProvider clock, IConfiguration config)
    : ICommandHandler<CreateServerBackup, ServerImageWrite>
{
    public async ValueTask<ServerImageWrite> Handle(CreateServerBackup command, CancellationToken ct)
    {
        var imageId = ServerImages.IdFor(command.ServerId, caller.RequestId);
        var write = await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.CreateBackup(caller.AsRequester(), imageId, command.BackupType, command.Rotation),
            alongside: async (session, server, _) =>
            {
                await ImageQuota.From(config).RequireRoomForImage(session, caller.ProjectId, ct);
                ServerImages.Create(session, server, caller, imageId, command.Name, "backup", command.Metadata, command.BackupType,
                    clock.GetUtcNow());
            }, ct, policy: "os_compute_api:os-create-backup");
        return new ServerImageWrite(write, imageId);
    }
}
