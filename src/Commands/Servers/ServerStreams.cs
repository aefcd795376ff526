using Marten;
using Nova.Commands.Requests;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers;

/// <summary>
/// The one write path for a user's server command: fetch, check ownership, decide, append. A race
/// lost to the control plane's own progress (a host report, the scheduler) is decided again on the
/// new state; only a race still lost after that is the user's 409. <c>policy</c> is the action's <see cref="NovaPolicy"/> rule.
/// </summary>
public static class ServerStreams
{
    // A build or a migration appends a handful of steps in quick succession: a user's command that arrives meanwhile
    // (a delete right after a create) may lose several races in a row to them and is decided again each time.
    private const int Attempts = 8;

    public static async Task<ServerWrite> Execute(
        EventSessions sessions, Caller caller, Guid serverId,
        Func<Server, ServerCommand> command, Func<IDocumentSession, Server, IReadOnlyList<object>, Task>? alongside = null,
        CancellationToken ct = default, string? policy = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = sessions.Open();
            var stream = await session.Events.FetchForWriting<Server>(serverId, ct);
            var state = caller.RequireVisible(serverId, stream.Aggregate);
            // The action's own rule (e.g. a reader may see the server but not stop it), whatever the transport.
            if (policy is not null) caller.Authorize(policy, state.ProjectId);

            var events = ServerDecider.Decide(command(state), state);
            if (events.Count == 0) return new ServerWrite(serverId, stream.CurrentVersion ?? 0);
            stream.AppendMany(events);
            if (alongside is not null) await alongside(session, state, events);
            try
            {
                await session.SaveChangesAsync(ct);
                return new ServerWrite(serverId, (stream.StartingVersion ?? 0) + events.Count);
            }
            catch (Exception e) when (EventSessions.IsLostRace(e))
            {
                if (attempt == Attempts) throw EventSessions.LostRace(serverId);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt), ct);
            }
        }
    }
}
