using JasperFx;
using Marten;
using Nova.Store;

namespace Nova.Commands.Requests;

/// <summary>Opens write sessions that stamp the caller into every appended event.</summary>
public sealed class EventSessions(IDocumentStore store, Caller caller)
{
    public IDocumentSession Open()
    {
        var session = store.LightweightSession();
        session.CorrelationId = caller.RequestId;
        session.SetHeader(EventHeaders.UserId, caller.UserId);
        session.SetHeader(EventHeaders.ProjectId, caller.ProjectId);
        if (caller.GlobalRequestId is { } global) session.SetHeader(EventHeaders.GlobalRequestId, global);
        return session;
    }

    /// <summary>
    /// Runs a write with a fresh session per attempt, retrying lost optimistic-concurrency races.
    /// For writers that are not answering a user (scheduler, host reports): they re-read and decide again.
    /// </summary>
    public async Task<T> WithRetry<T>(Func<IDocumentSession, Task<T>> write, int attempts = 20)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = Open();
            try
            {
                return await write(session);
            }
            catch (Exception e) when (attempt < attempts && IsLostRace(e))
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt));
            }
        }
    }

    /// <summary>
    /// A write that lost to another one and is worth deciding again: an optimistic version check, a stream created twice,
    /// or PostgreSQL ending one side of a deadlock or serialization conflict (the batch scheduler locks hosts in
    /// ranking order, which no fixed order can cover).
    /// </summary>
    public static bool IsLostRace(Exception e) =>
        e is ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException
            or JasperFx.Events.ExistingStreamIdCollisionException
            or Npgsql.PostgresException { SqlState: "40P01" or "40001" }
        || e.InnerException is { } inner && IsLostRace(inner);

    /// <summary>A user's lost race is Nova's task_state compare-and-swap failure: 409, never 500.</summary>
    public static ConcurrentUpdate LostRace(Guid serverId) =>
        new($"Conflict updating instance {serverId}: another request changed it first. Retry the request.");
}
