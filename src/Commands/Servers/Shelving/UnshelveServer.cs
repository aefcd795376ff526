using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Shelving;

/// <summary>
/// unshelve: SHELVED or SHELVED_OFFLOADED → ACTIVE (unshelving). A shelved server is powered on where it is; an
/// offloaded one goes through the scheduler, claims a host and boots from its shelve image.
/// </summary>
public sealed record UnshelveServer(Guid ServerId) : ICommand<ServerWrite>;

public sealed class UnshelveServerHandler(EventSessions sessions, Caller caller) : ICommandHandler<UnshelveServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(UnshelveServer command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Unshelve(caller.AsRequester()), ct: ct, policy: "os_compute_api:os-shelve:unshelve");
}
