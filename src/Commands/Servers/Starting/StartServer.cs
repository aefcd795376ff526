using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Starting;

/// <summary>os-start: powering-on now, active when the host reports back.</summary>
public sealed record StartServer(Guid ServerId) : ICommand<ServerWrite>;

public sealed class StartServerHandler(EventSessions sessions, Caller caller) : ICommandHandler<StartServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(StartServer command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Start(caller.AsRequester()), ct: ct, policy: "os_compute_api:servers:start");
}
