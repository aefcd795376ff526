using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Suspending;

/// <summary>suspend: ACTIVE → SUSPENDED (suspending); the guest's memory is saved to disk and its QEMU process ends.</summary>
public sealed record SuspendServer(Guid ServerId) : ICommand<ServerWrite>;

public sealed class SuspendServerHandler(EventSessions sessions, Caller caller) : ICommandHandler<SuspendServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(SuspendServer command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Suspend(caller.AsRequester()), ct: ct, policy: "os_compute_api:os-suspend-server:suspend");
}
