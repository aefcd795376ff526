using System.Globalization;
using Marten;
using Mediator;
using Nova.Api.Http;
using Nova.Commands.Requests;
using Nova.Domain.Servers;
using Nova.Projections.Servers;

namespace Nova.Api.Audit;

/// <summary>
/// A server as GET /servers/{id} showed it at <paramref name="At"/> (events with a timestamp at or
/// before it) or at stream version <paramref name="Version"/>; both may be given.
/// </summary>
public sealed record GetServerAsOf(Guid ServerId, DateTimeOffset? At, long? Version) : IQuery<ServerView>;

public sealed class ServerTimeTravel(IQuerySession session, Caller caller) : IQueryHandler<GetServerAsOf, ServerView>
{
    public async ValueTask<ServerView> Handle(GetServerAsOf query, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(query.ServerId, token: ct);
        ServerStreamOwner.RequireVisible(events.FirstOrDefault(), query.ServerId, caller, "os_compute_api:servers:show");

        // The read model's own fold, event by event: the replay shows exactly what the view held then.
        var projection = new ServerViewProjection();
        ServerView? view = null;
        foreach (var e in events.Where(e => (query.At is null || e.Timestamp <= query.At) && (query.Version is null || e.Version <= query.Version)))
            view = projection.Evolve(view, query.ServerId, e);
        return view ?? throw new ServerNotFound(query.ServerId);
    }

    /// <summary><c>?as_of=ISO 8601</c> and/or <c>?as_of_version=N</c>; null when neither is asked.</summary>
    public static GetServerAsOf? Parse(Guid id, IQueryCollection q)
    {
        DateTimeOffset? at = null;
        long? version = null;
        // Present but empty is a mistake too: the time reader refuses "".
        if (q.TryGetValue("as_of", out var a)) at = q.Time("as_of", a.ToString());
        if (q.TryGetValue("as_of_version", out var v))
            version = long.TryParse(v.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n
                : throw NovaError.BadRequest($"Invalid input for query parameters as_of_version. Value: {v}. must be an integer of at least 1");
        return at is null && version is null ? null : new GetServerAsOf(id, at, version);
    }
}
