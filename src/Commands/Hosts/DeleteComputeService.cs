using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Hosts;

namespace Nova.Commands.Hosts;

/// <summary>
/// DELETE os-services/{id}: removes a dead host. Refused (409) while it still holds servers, since
/// their claims would be orphaned; a host that reports again later registers anew.
/// </summary>
public sealed record DeleteComputeService(string Host) : ICommand<ComputeHost>;

public sealed class DeleteComputeServiceHandler(EventSessions sessions, Caller caller)
    : ICommandHandler<DeleteComputeService, ComputeHost>
{
    public async ValueTask<ComputeHost> Handle(DeleteComputeService command, CancellationToken ct) =>
        await HostStreams.Execute(sessions, caller, HostStreams.DeletePolicy, command.Host,
            new ComputeHostCommand.Delete(), ct);
}
