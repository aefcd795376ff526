using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Shelving;

/// <summary>
/// shelve: ACTIVE, SHUTOFF, PAUSED or SUSPENDED → SHELVED (shelving → shelving_image_pending_upload →
/// shelving_image_uploading), the disk stored as a new private image, then offloaded as configured.
/// </summary>
public sealed record ShelveServer(Guid ServerId) : ICommand<ServerWrite>;

public sealed class ShelveServerHandler(EventSessions sessions, Caller caller, TimeProvider clock) : ICommandHandler<ShelveServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(ShelveServer command, CancellationToken ct)
    {
        var imageId = ShelveImages.IdFor(command.ServerId, caller.RequestId);
        return await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Shelve(caller.AsRequester(), imageId),
            alongside: (session, server, _) =>
            {
                ShelveImages.Create(session, server, imageId, clock.GetUtcNow());
                return Task.CompletedTask;
            }, ct, policy: "os_compute_api:os-shelve:shelve");
    }
}
