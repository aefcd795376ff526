using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Rescuing;

/// <summary>unrescue: RESCUE → ACTIVE (unrescuing): the server boots its own definition again.</summary>
public sealed record UnrescueServer(Guid ServerId) : ICommand<ServerWrite>;

public sealed class UnrescueServerHandler(EventSessions sessions, Caller caller) : ICommandHandler<UnrescueServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(UnrescueServer command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Unrescue(caller.AsRequester()), ct: ct, policy: "os_compute_api:os-unrescue");
}
