using Marten;
using Nova.Api.Http;
using Nova.Api.Servers;
using Nova.Commands.Requests;
using Nova.Projections.InstanceActions;
using IMediator = Mediator.IMediator;

namespace Nova.Api.InstanceActions;

/// <summary>/servers/{id}/os-instance-actions: the audit view, itself a projection of the server's events.</summary>
public static class InstanceActionEndpoints
{
    public static void MapInstanceActions(this IEndpointRouteBuilder api)
    {
        api.MapGet("/servers/{id}/os-instance-actions", async (string id, HttpContext http, IMediator mediator) =>
        {
            var log = await mediator.Send(new GetInstanceActions(ServerEndpoints.ParseId(id)));
            var actions = log.Actions.OrderByDescending(a => a.StartTime).Select(a => Action(http, log.Id, a)).ToList();
            return NovaJson.Json(new { instanceActions = actions });
        });
        api.MapGet("/servers/{id}/os-instance-actions/{requestId}", async (string id, string requestId, HttpContext http, IMediator mediator, Caller caller) =>
        {
            var log = await mediator.Send(new GetInstanceActions(ServerEndpoints.ParseId(id)));
            var action = log.Actions.LastOrDefault(a => a.RequestId == requestId)
                         ?? throw NovaError.NotFound($"Action {requestId} on instance {id} could not be found.");
            var body = Action(http, log.Id, action);
            var version = MicroversionMiddleware.Of(http);
            var details = caller.Allows(Audit.HistoryRedaction.DetailsPolicy);
            body["events"] = action.Events.Select(e =>
            {
                var ev = new Dictionary<string, object?>
                {
                    ["event"] = e.Event,
                    ["start_time"] = NovaJson.UsageTime(e.StartTime),
                    ["finish_time"] = NovaJson.UsageTime(e.FinishTime),
                    ["result"] = e.Result,
                };
                if (details) ev["traceback"] = e.Result == "Error" ? e.Details : null;
                if (version.AtLeast(62))
                {
                    ev["hostId"] = ServerJson.HostId(log.ProjectId, e.Host);
                    if (details) ev["host"] = e.Host;
                }
                return ev;
            }).ToList();
            return NovaJson.Json(new { instanceAction = body });
        });
    }

    private static Dictionary<string, object?> Action(HttpContext http, Guid serverId, InstanceActionRecord a)
    {
        var body = new Dictionary<string, object?>
        {
            ["action"] = a.Action,
            ["instance_uuid"] = serverId.ToString(),
            ["message"] = a.Message,
            ["project_id"] = a.ProjectId,
            ["request_id"] = a.RequestId,
            ["start_time"] = NovaJson.UsageTime(a.StartTime),
            ["user_id"] = a.UserId,
        };
        if (MicroversionMiddleware.Of(http).AtLeast(58)) body["updated_at"] = NovaJson.UsageTime(a.UpdatedAt);
        return body;
    }
}
