using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Pausing;

/// <summary>unpause: PAUSED → ACTIVE (unpausing).</summary>
public sealed record UnpauseServer(Guid ServerId) : ICommand<ServerWrite>;

public sealed class UnpauseServerHandler(EventSessions sessions, Caller caller) : ICommandHandler<UnpauseServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(UnpauseServer command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Unpause(caller.AsRequester()), ct: ct, policy: "os_compute_api:os-pause-server:unpause");
}
