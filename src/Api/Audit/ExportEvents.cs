using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Projections.Audit;

namespace Nova.Api.Audit;

/// <summary>Every matching event after sequence <paramref name="After"/>, streamed.</summary>
public sealed record ExportEvents(EventFeedFilter Filter, long After) : IStreamQuery<StoredEvent>;

public sealed class ExportEventsHandler(IQuerySession session, Caller caller) : IStreamQueryHandler<ExportEvents, StoredEvent>
{
    public async IAsyncEnumerable<StoredEvent> Handle(ExportEvents query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        caller.Authorize("os_compute_api:events:export");
        // One high-water mark for the whole export: it ends at a position the caller can resume from.
        var upTo = await EventFeed.HighWaterMark(session, ct);
        await foreach (var e in EventFeed.Read(session, query.Filter, query.After, upTo, limit: null, ct))
            yield return e;
    }
}
