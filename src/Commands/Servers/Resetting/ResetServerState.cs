using Mediator;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Resetting;

/// <summary>
/// os-resetState (admin): the record becomes active or error with no task; the host is not asked. A migration in
/// progress is abandoned where it stands (<see cref="Resizing.MigrationSettlement.Abandon"/>).
/// </summary>
public sealed record ResetServerState(Guid ServerId, VmState State) : ICommand<ServerWrite>;

public sealed class ResetServerStateHandler(EventSessions sessions, Caller caller, IConfiguration config) : ICommandHandler<ResetServerState, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(ResetServerState command, CancellationToken ct)
    {
        caller.Authorize("os_compute_api:os-admin-actions:reset_state");
        return await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.ResetState(caller.AsRequester(), command.State),
            alongside: (session, before, _) => Resizing.MigrationSettlement.Abandon(session, config, before, ct), ct: ct);
    }
}
