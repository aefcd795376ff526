using Nova.Api.Http;
using Nova.Api.Schemas;
using Nova.Commands.ServerGroups;
using Nova.Domain.ServerGroups;
using IMediator = Mediator.IMediator;

namespace Nova.Api.ServerGroups;

/// <summary>/os-server-groups: policies 'affinity', 'anti-affinity' and their soft forms.</summary>
public static class ServerGroupEndpoints
{
    public static void MapServerGroups(this IEndpointRouteBuilder api)
    {
        api.MapGet("/os-server-groups", async (HttpContext http, IMediator m) =>
        {
            var all = http.Request.Query.Switch("all_projects");
            var groups = await m.Send(new ListServerGroups(all));
            return NovaJson.Json(new { server_groups = groups.Select(g => Render(http, g)).ToList() });
        });
        api.MapGet("/os-server-groups/{id}", async (string id, HttpContext http, IMediator m) =>
            NovaJson.Json(new { server_group = Render(http, await m.Send(new GetServerGroup(ParseId(id)))) }));
        api.MapPost("/os-server-groups", async (HttpContext http, IMediator m) =>
        {
            var body = NovaJson.RequireObject(await NovaJson.ReadObject(http.Request), "server_group");
            var name = NovaJson.RequireString(body, "name");
            // Schemas/server-groups/create.v2_*.json: one policy of Nova's list (policies before 2.64, policy from it).
            var policy = MicroversionMiddleware.Of(http).AtLeast(64)
                ? NovaJson.RequireString(body, "policy")
                : body["policies"]![0]!.GetValue<string>();
            var group = await m.Send(new CreateServerGroup(name, policy));
            return NovaJson.Json(new { server_group = Render(http, group) });
        }).WithRequestSchema("server-groups/create");
        api.MapDelete("/os-server-groups/{id}", async (string id, IMediator m) =>
        {
            await m.Send(new DeleteServerGroup(ParseId(id)));
            return Results.NoContent();
        });
    }

    private static Guid ParseId(string id) =>
        Guid.TryParse(id, out var guid) && guid != Guid.Empty ? guid : throw NovaError.NotFound($"Instance group {id} could not be found.");

    private static Dictionary<string, object?> Render(HttpContext http, ServerGroup g)
    {
        var body = new Dictionary<string, object?>
        {
            ["id"] = g.Id.ToString(),
            ["name"] = g.Name,
            ["members"] = g.Members.Keys.Select(k => k.ToString()).ToList(),
        };
        if (MicroversionMiddleware.Of(http).AtLeast(64))
        {
            body["policy"] = g.Policy;
            body["rules"] = new Dictionary<string, object>();
        }
        else
        {
            body["policies"] = new[] { g.Policy };
            body["metadata"] = new Dictionary<string, string>();
        }
        if (MicroversionMiddleware.Of(http).AtLeast(13))
        {
            body["project_id"] = g.ProjectId;
            body["user_id"] = g.UserId;
        }
        return body;
    }
}
