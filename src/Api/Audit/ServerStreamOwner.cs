using JasperFx.Events;
using Marten;
using Nova.Commands.Requests;
using Nova.Domain.Servers;
using Nova.Commands.Servers;

namespace Nova.Api.Audit;

/// <summary>
/// Who may read a server's stream: the rule asked against the project in its first event, so a deleted
/// server stays readable to its owner and admins, and another project's server does not exist (404).
/// </summary>
public static class ServerStreamOwner
{
    /// <summary>Checks <paramref name="rule"/> against the stream's first event.</summary>
    public static void RequireVisible(IEvent? creation, Guid serverId, Caller caller, string rule)
    {
        caller.RequireVisible(serverId, (creation?.Data as ServerCreateRequested)?.ProjectId, rule: rule);
    }

    /// <summary>Reads only the stream's first event, then checks <paramref name="rule"/> against it.</summary>
    public static async Task RequireVisible(IQuerySession session, Guid serverId, Caller caller, string rule, CancellationToken ct)
    {
        var creation = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == serverId && e.Version == 1).FirstOrDefaultAsync(ct);
        RequireVisible(creation, serverId, caller, rule);
    }
}
