using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Rebooting;

/// <summary>reboot {type: SOFT|HARD}.</summary>
public sealed record RebootServer(Guid ServerId, RebootType Type) : ICommand<ServerWrite>;

public sealed class RebootServerHandler(EventSessions sessions, Caller caller) : ICommandHandler<RebootServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(RebootServer command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Reboot(caller.AsRequester(), command.Type), ct: ct, policy: "os_compute_api:servers:reboot");
}
