using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Projections.Audit;

namespace Nova.Api.Audit;

/// <summary>Matching events after sequence <paramref name="After"/>, at most <paramref name="Limit"/>.</summary>
public sealed record GetEventPage(EventFeedFilter Filter, long After, int Limit) : IQuery<EventPage>;

public sealed class GetEventPageHandler(IQuerySession session, Caller caller) : IQueryHandler<GetEventPage, EventPage>
{
    public async ValueTask<EventPage> Handle(GetEventPage query, CancellationToken ct)
    {
        caller.Authorize("os_compute_api:events:index");
        var upTo = await EventFeed.HighWaterMark(session, ct);
        var events = new List<StoredEvent>(Math.Min(query.Limit, 1000));
        await foreach (var e in EventFeed.Read(session, query.Filter, query.After, upTo, query.Limit, ct))
            events.Add(e);
        return new EventPage(events, upTo);
    }
}

/// <summary>A page of the global feed and the position it was read up to.</summary>
public sealed record EventPage(IReadOnlyList<StoredEvent> Events, long HighWaterMark);
