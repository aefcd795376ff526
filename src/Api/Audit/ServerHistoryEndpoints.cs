using System.Text.Json;
using Nova.Api.Http;
using Nova.Api.Servers;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Audit;

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
            var after = q.Position("after") ?? 0;
            var limit = Math.Clamp(q.Limit() ?? GetServerHistory.MaxLimit, 1, GetServerHistory.MaxLimit);
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
                body["events_links"] = new[] { new { rel = "next", href = $"{Links.Compute(http)}/servers/{id}/events?after={entries[^1].Version}&limit={limit}" } };
            return NovaJson.Json(body);
        });
    }
}
