using System.Text.Json;
using System.Text.Json.Nodes;
using Nova.Api.Http;
using Nova.Commands.Requests;
using Nova.Commands.Servers.Updating;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Servers;

/// <summary>PUT /servers/{id}: Nova's update schema (name, OS-DCF:diskConfig, accessIPv4, accessIPv6, and description from 2.19); 200 with the server.</summary>
public static class UpdateServerEndpoint
{
    public static void MapServerUpdate(this IEndpointRouteBuilder api) => api.MapPut("/servers/{id}", Update);

    private static async Task<IResult> Update(string id, HttpContext http, IMediator mediator, ReadYourWrites reads, Caller caller,
        CancellationToken ct)
    {
        var serverId = ServerEndpoints.ParseId(id);
        var version = MicroversionMiddleware.Of(http);
        var body = await NovaJson.ReadObject(http.Request);
        foreach (var (key, _) in body)
            if (key != "server")
                throw NovaError.BadRequest($"Invalid input for field/attribute. Value: {body.ToJsonString()}. Additional properties are not allowed ('{key}' was unexpected)");
        var server = NovaJson.RequireObject(body, "server");
        foreach (var (key, _) in server)
            if (key is not ("name" or "OS-DCF:diskConfig" or "accessIPv4" or "accessIPv6") && !(key == "description" && version.AtLeast(19)))
                throw NovaError.BadRequest($"Invalid input for field/attribute server. Value: {server.ToJsonString()}. Additional properties are not allowed ('{key}' was unexpected)");
        if (server["OS-DCF:diskConfig"] is { } disk && !(disk is JsonValue d && d.GetValueKind() == JsonValueKind.String && d.GetValue<string>() is "AUTO" or "MANUAL"))
            throw NovaError.BadRequest($"Invalid input for field/attribute OS-DCF:diskConfig. Value: {disk.ToJsonString()}. is not one of ['AUTO', 'MANUAL']");
        if (server.ContainsKey("name") && server["name"] is null)
            throw NovaError.BadRequest("Invalid input for field/attribute name. Value: None. None is not of type 'string'");
        var description = server.ContainsKey("description") ? NovaJson.OptionalString(server, "description") : null;

        var write = await mediator.Send(new UpdateServer(serverId, NovaJson.OptionalString(server, "name"),
            server.ContainsKey("description"), description,
            RequiredText(server, "accessIPv4"), RequiredText(server, "accessIPv6")), ct);
        await reads.WaitFor(write, ct);
        var view = await mediator.Send(new GetServer(serverId), ct);
        var audience = await mediator.Send(new GetServerAudience(MicroversionMiddleware.Of(http).AtLeast(75)), ct);
        return NovaJson.Json(new { server = ServerJson.Detail(http, view, audience, ServerResponse.Update) });
    }

    /// <summary>A string when present (null is not an address).</summary>
    private static string? RequiredText(JsonObject o, string key) =>
        o.ContainsKey(key) && o[key] is null
            ? throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: None. None is not of type 'string'")
            : NovaJson.OptionalString(o, key);
}
