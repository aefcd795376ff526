using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Projections.Audit;

namespace Nova.Api.Audit;

/// <summary>A page of the global feed and the position it was read up to.</summary>
public sealed record EventPage(IReadOnlyList<StoredEvent> Events, long HighWaterMark);

/// <summary>Matching events after sequence <paramref name="After"/>, at most <paramref name="Limit"/>.</summary>
public sealed record GetEventPage(EventFeedFilter Filter, long After, int Limit) : IQuery<EventPage>;

/// <summary>Every matching event after sequence <paramref name="After"/>, streamed.</summary>
public sealed record ExportEvents(EventFeedFilter Filter, long After) : IStreamQuery<StoredEvent>;

/// <summary>Recompute the hash chain of one stream, or of the whole store.</summary>
public sealed record VerifyEventChain(Guid? StreamId) : IQuery<ChainVerification>;

public sealed class EventFeedQueries(IQuerySession session, IDocumentStore store, Caller caller)
    : IQueryHandler<GetEventPage, EventPage>, IStreamQueryHandler<ExportEvents, StoredEvent>, IQueryHandler<VerifyEventChain, ChainVerification>
{
    public async ValueTask<EventPage> Handle(GetEventPage query, CancellationToken ct)
    {
        Authorize("index");
        var upTo = await EventFeed.HighWaterMark(session, ct);
        var events = new List<StoredEvent>(Math.Min(query.Limit, 1000));
        await foreach (var e in EventFeed.Read(session, query.Filter, query.After, upTo, query.Limit, ct))
            events.Add(e);
        return new EventPage(events, upTo);
    }

    public async IAsyncEnumerable<StoredEvent> Handle(ExportEvents query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        Authorize("export");
        // One high-water mark for the whole export: it ends at a position the caller can resume from.
        var upTo = await EventFeed.HighWaterMark(session, ct);
        await foreach (var e in EventFeed.Read(session, query.Filter, query.After, upTo, limit: null, ct))
            yield return e;
    }

    public async ValueTask<ChainVerification> Handle(VerifyEventChain query, CancellationToken ct)
    {
        Authorize("verify");
        return await EventChain.Verify(store, query.StreamId, progress: null, ct);
    }

    private void Authorize(string rule) => caller.Authorize($"os_compute_api:events:{rule}");
}
