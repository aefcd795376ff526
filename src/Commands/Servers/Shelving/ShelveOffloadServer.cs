using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Shelving;

/// <summary>shelveOffload (admin): SHELVED → SHELVED_OFFLOADED (shelving_offloading); the host removes the server and its claim is released.</summary>
public sealed record ShelveOffloadServer(Guid ServerId) : ICommand<ServerWrite>;

public sealed class ShelveOffloadServerHandler(EventSessions sessions, Caller caller) : ICommandHandler<ShelveOffloadServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(ShelveOffloadServer command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.ShelveOffload(caller.AsRequester()), ct: ct, policy: "os_compute_api:os-shelve:shelve_offload");
}
