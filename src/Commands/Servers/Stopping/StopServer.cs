using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Stopping;

/// <summary>os-stop: powering-off now, stopped when the host reports back.</summary>
public sealed record StopServer(Guid ServerId) : ICommand<ServerWrite>;

public sealed class StopServerHandler(EventSessions sessions, Caller caller) : ICommandHandler<StopServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(StopServer command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Stop(caller.AsRequester()), ct: ct, policy: "os_compute_api:servers:stop");
}
