using JasperFx.Events;
using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Store;

namespace Nova.Api.Audit;

/// <summary>A server's events in order, from <paramref name="AfterVersion"/> (exclusive), at most <paramref name="Limit"/>.</summary>
public sealed record GetServerHistory(Guid ServerId, long AfterVersion, int Limit) : IQuery<IReadOnlyList<HistoryEntry>>, IValidated
{
    public const int MaxLimit = 1000;

    public IEnumerable<string> Validate()
    {
        if (AfterVersion < 0) yield return $"Invalid input for query parameters after. Value: {AfterVersion}.";
        if (Limit is < 1 or > MaxLimit) yield return $"Invalid input for query parameters limit. Value: {Limit}. Must be 1 to {MaxLimit}.";
    }
}

public sealed class GetServerHistoryHandler(IQuerySession session, Caller caller) : IQueryHandler<GetServerHistory, IReadOnlyList<HistoryEntry>>
{
    public async ValueTask<IReadOnlyList<HistoryEntry>> Handle(GetServerHistory query, CancellationToken ct)
    {
        await ServerStreamOwner.RequireVisible(session, query.ServerId, caller, "os_compute_api:servers:events:list", ct);
        // Only the page is read: a long history costs the same per page wherever the page is.
        var page = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == query.ServerId && e.Version > query.AfterVersion)
            .OrderBy(e => e.Version).Take(query.Limit).ToListAsync(ct);
        var details = caller.Allows(HistoryRedaction.DetailsPolicy);
        return page.Select(HistoryEntry.From)
            .Select(e => details ? e : e with { Data = HistoryRedaction.WithoutHostsAndFaultDetails(e.Data) ?? new System.Text.Json.Nodes.JsonObject() })
            .ToList();
    }
}

/// <summary>One event of a server's history, as an auditor reads it.</summary>
public sealed record HistoryEntry(
    long Sequence, long Version, DateTimeOffset Timestamp, string Type, object Data,
    string? UserId, string? ProjectId, string? RequestId)
{
    public Guid ServerId { get; init; }

    public static HistoryEntry From(IEvent e) =>
        new(e.Sequence, e.Version, e.Timestamp, e.EventTypeName, e.Data,
            e.GetHeader(EventHeaders.UserId)?.ToString(), e.GetHeader(EventHeaders.ProjectId)?.ToString(), e.CorrelationId)
        {
            ServerId = e.StreamId,
        };
}
