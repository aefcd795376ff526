using Mediator;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Images;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Snapshots;

/// <summary>
/// createImage: ACTIVE, SHUTOFF, PAUSED or SUSPENDED, no task → the same state with image_snapshot_pending → image_snapshot
/// → image_pending_upload → image_uploading → no task; the server's disk becomes a new private image.
/// </summary>
public sealed record CreateServerImage(Guid ServerId, string Name, IReadOnlyDictionary<string, string>? Metadata) : ICommand<ServerImageWrite>;

/// <summary>The server's write, and the image being filled.</summary>
public sealed record ServerImageWrite(ServerWrite Write, Guid ImageId);

public sealed class CreateServerImageHandler(EventSessions sessions, Caller caller, TimeProvider clock, IConfiguration config)
    : ICommandHandler<CreateServerImage, ServerImageWrite>
{
    public async ValueTask<ServerImageWrite> Handle(CreateServerImage command, CancellationToken ct)
    {
        var imageId = ServerImages.IdFor(command.ServerId, caller.RequestId);
        var write = await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.CreateImage(caller.AsRequester(), imageId),
            alongside: async (session, server, _) =>
            {
                await ImageQuota.From(config).RequireRoomForImage(session, caller.ProjectId, ct);
                ServerImages.Create(session, server, caller, imageId, command.Name, "snapshot", command.Metadata, null, clock.GetUtcNow());
            }, ct, policy: "os_compute_api:servers:create_image");
        return new ServerImageWrite(write, imageId);
    }
}
