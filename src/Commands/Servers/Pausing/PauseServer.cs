using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Pausing;

/// <summary>pause: ACTIVE → PAUSED (pausing); the guest's vCPUs stop, its memory stays.</summary>
public sealed record PauseServer(Guid ServerId) : ICommand<ServerWrite>;

public sealed class PauseServerHandler(EventSessions sessions, Caller caller) : ICommandHandler<PauseServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(PauseServer command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Pause(caller.AsRequester()), ct: ct, policy: "os_compute_api:os-pause-server:pause");
}
