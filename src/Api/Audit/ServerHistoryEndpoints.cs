using System.Text.Json;
using JasperFx.Events;
using Marten;
using Mediator;
using Nova.Api.Http;
using Nova.Api.Servers;
using Nova.Commands.Requests;
using Nova.Domain.Servers;
using Nova.Store;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Audit;

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

public sealed class ServerHistoryQueries(IQuerySession session, Caller caller) : IQueryHandler<GetServerHistory, IReadOnlyList<HistoryEntry>>
{
    public async ValueTask<IReadOnlyList<HistoryEntry>> Handle(GetServerHistory query, CancellationToken ct)
    {
        await ServerStreamOwner.RequireVisible(session, query.ServerId, caller, "os_compute_api:servers:events:list", ct);
        // Only the page is read: a long history costs the same per page wherever the page is.
        var page = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == query.ServerId && e.Version > query.AfterVersion)
            .OrderBy(e => e.Version).Take(query.Limit).ToListAsync(ct);
        return page.Select(HistoryEntry.From).ToList();
    }
}

/// <summary>
/// GET /v2.1/servers/{id}/events: the complete, ordered event history of one server (a native
/// extension beyond Nova), paged by stream version with <c>after</c> and <c>limit</c>.
/// </summary>
public static class ServerHistoryEndpoints
{
    public static void MapServerHistory(this IEndpointRouteBuilder api)
    {
        api.MapGet("/servers/{id}/events", async (string id, HttpContext http, IMediator mediator) =>
        {
            var q = http.Request.Query;
            var after = q["after"].ToString() is { Length: > 0 } a
                ? long.TryParse(a, out var v) && v >= 0 ? v : throw NovaError.BadRequest($"Invalid input for query parameters after. Value: {a}.")
                : 0;
            var limit = Math.Clamp(ServerEndpoints.Limit(q) ?? GetServerHistory.MaxLimit, 1, GetServerHistory.MaxLimit);
            var entries = await mediator.Send(new GetServerHistory(ServerEndpoints.ParseId(id), after, limit));
            var body = new Dictionary<string, object?>
            {
                ["events"] = entries.Select(e => new Dictionary<string, object?>
                {
                    ["sequence"] = e.Sequence,
                    ["version"] = e.Version,
                    ["timestamp"] = EventJson.Time(e.Timestamp),
                    ["type"] = e.Type,
                    ["data"] = JsonSerializer.SerializeToElement(e.Data, e.Data.GetType(), NovaJson.Options),
                    ["user_id"] = e.UserId,
                    ["project_id"] = e.ProjectId,
                    ["request_id"] = e.RequestId,
                }).ToList(),
            };
            if (entries.Count == limit)
                body["events_links"] = new[] { new { rel = "next", href = $"{Links.Root(http)}/v2.1/servers/{id}/events?after={entries[^1].Version}&limit={limit}" } };
            return NovaJson.Json(body);
        });
    }
}
