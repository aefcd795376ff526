using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Locking;

/// <summary>unlock: only an admin lifts a lock an admin placed.</summary>
public sealed record UnlockServer(Guid ServerId) : ICommand<ServerWrite>;

public sealed class UnlockServerHandler(EventSessions sessions, Caller caller) : ICommandHandler<UnlockServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(UnlockServer command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Unlock(caller.AsRequester()), ct: ct, policy: "os_compute_api:os-lock-server:unlock");
}
