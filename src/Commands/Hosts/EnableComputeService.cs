using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Hosts;

namespace Nova.Commands.Hosts;

/// <summary>os-services enable: the host takes builds again and its disabled reason is cleared.</summary>
public sealed record EnableComputeService(string Host) : ICommand<ComputeHost>;

public sealed class EnableComputeServiceHandler(EventSessions sessions, Caller caller)
    : ICommandHandler<EnableComputeService, ComputeHost>
{
    public async ValueTask<ComputeHost> Handle(EnableComputeService command, CancellationToken ct) =>
        await HostStreams.Execute(sessions, caller, HostStreams.UpdatePolicy, command.Host,
            new ComputeHostCommand.Enable(), ct);
}
