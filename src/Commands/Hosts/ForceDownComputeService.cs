using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Hosts;

namespace Nova.Commands.Hosts;

/// <summary>
/// os-services force-down: an operator who fenced a host declares it down at once instead of
/// waiting 60 s for its heartbeat to lapse; no builds go there and deletes of its servers complete here.
/// </summary>
public sealed record ForceDownComputeService(string Host, bool ForcedDown) : ICommand<ComputeHost>;

public sealed class ForceDownComputeServiceHandler(EventSessions sessions, Caller caller)
    : ICommandHandler<ForceDownComputeService, ComputeHost>
{
    public async ValueTask<ComputeHost> Handle(ForceDownComputeService command, CancellationToken ct) =>
        await HostStreams.Execute(sessions, caller, HostStreams.UpdatePolicy, command.Host,
            new ComputeHostCommand.ForceDown(command.ForcedDown), ct);
}
