using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Suspending;

/// <summary>resume: SUSPENDED → ACTIVE (resuming), from the saved memory.</summary>
public sealed record ResumeServer(Guid ServerId) : ICommand<ServerWrite>;

public sealed class ResumeServerHandler(EventSessions sessions, Caller caller) : ICommandHandler<ResumeServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(ResumeServer command, CancellationToken ct) =>
        await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Resume(caller.AsRequester()), ct: ct, policy: "os_compute_api:os-suspend-server:resume");
}
