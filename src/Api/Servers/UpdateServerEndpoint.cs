using System.Text.Json;
using System.Text.Json.Nodes;
using Nova.Api.Http;
using Nova.Api.Schemas;
using Nova.Commands.Requests;
using Nova.Commands.Servers.Updating;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Servers;

/// <summary>PUT /servers/{id}: Nova's update schema (name, OS-DCF:diskConfig, accessIPv4, accessIPv6, and description from 2.19); 200 with the server as Nova answers a change.</summary>
public static class UpdateServerEndpoint
{
    public static void MapServerUpdate(this IEndpointRouteBuilder api) => api.MapPut("/servers/{id}", Update).WithRequestSchema("servers/update");

    private static async Task<IResult> Update(string id, HttpContext http, IMediator mediator, ReadYourWrites reads, Caller caller,
        CancellationToken ct)
    {
        var serverId = ServerEndpoints.ParseId(id);
        // Schemas/servers/update.v2_*.json: the keys allowed at this version and their formats.
        var server = NovaJson.RequireObject(await NovaJson.ReadObject(http.Request), "server");
        var description = server.ContainsKey("description") ? NovaJson.OptionalString(server, "description") : null;

        var write = await mediator.Send(new UpdateServer(serverId, NovaJson.OptionalString(server, "name"),
            server.ContainsKey("description"), description,
            NovaJson.OptionalString(server, "accessIPv4"), NovaJson.OptionalString(server, "accessIPv6")), ct);
        await reads.WaitFor(write, ct);
        var view = await mediator.Send(new GetServer(serverId), ct);
        var audience = await mediator.Send(new GetServerAudience(MicroversionMiddleware.Of(http).AtLeast(75)), ct);
        return NovaJson.Json(new { server = ServerJson.Detail(http, view, audience, ServerResponse.Update) });
    }
}
