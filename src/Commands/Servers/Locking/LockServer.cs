using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Locking;

/// <summary>lock: non-admins get 409 on every other action until unlock.</summary>
public sealed record LockServer(Guid ServerId, string? Reason) : ICommand<ServerWrite>;

public sealed class LockServerHandler(EventSessions sessions, Caller caller) : ICommandHandler<LockServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(LockServer command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Lock(caller.AsRequester(), command.Reason), ct: ct, policy: "os_compute_api:os-lock-server:lock");
}
