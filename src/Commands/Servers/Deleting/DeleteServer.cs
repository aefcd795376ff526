using Microsoft.Extensions.Configuration;
using Mediator;
using Nova.Commands.Requests;
using Nova.Domain.Servers;
using Nova.Store.Hosts;

namespace Nova.Commands.Servers.Deleting;

/// <summary>
/// DELETE /servers/{id}: the host tears the instance down and reports back. When no host holds
/// the server, or its host is down, the delete completes here (Nova's local delete) and the
/// claim is released in the same transaction, so nothing stays stuck in deleting.
/// </summary>
public sealed record DeleteServer(Guid ServerId) : ICommand<ServerWrite>;

public sealed class DeleteServerHandler(EventSessions sessions, Caller caller, TimeProvider clock, IConfiguration config)
    : ICommandHandler<DeleteServer, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(DeleteServer command, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var hostIsUp = true;
        await using (var query = sessions.Open())
        {
            var host = (await query.Events.AggregateStreamAsync<Server>(command.ServerId, token: ct))?.Host;
            if (host is not null)
                hostIsUp = (await query.LoadAsync<ComputeService>(host, ct))?.IsUp(now) ?? false;
        }

        return await ServerStreams.Execute(sessions, caller, command.ServerId,
            _ => new ServerCommand.Delete(caller.AsRequester(), hostIsUp, now),
            alongside: async (session, state, events) =>
            {
                if (events.OfType<ServerDeleted>().Any()) await ServerRemoval.GiveBack(session, config, state, ct);
            }, ct, policy: "os_compute_api:servers:delete");
    }
}
