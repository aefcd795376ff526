using System.Text.Json;
using System.Text.Json.Nodes;
using Nova.Api.Http;
using Nova.Api.Schemas;
using Nova.Commands.Requests;
using Nova.Commands.Servers.Metadata;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Servers;

/// <summary>/servers/{id}/metadata: Nova's server_metadata API, its six routes, schemas and codes.</summary>
public static class ServerMetadataEndpoints
{
    public static void MapServerMetadata(this IEndpointRouteBuilder api)
    {
        api.MapGet("/servers/{id}/metadata", async (string id, IMediator mediator, Caller caller, CancellationToken ct) =>
            NovaJson.Json(new { metadata = await Read(id, "index", mediator, caller, ct) }));
        api.MapGet("/servers/{id}/metadata/{key}", async (string id, string key, IMediator mediator, Caller caller, CancellationToken ct) =>
            (await Read(id, "show", mediator, caller, ct)).TryGetValue(key, out var value)
                ? NovaJson.Json(new { meta = new Dictionary<string, string> { [key] = value } })
                : throw NovaError.NotFound("Metadata item was not found"));
        api.MapPost("/servers/{id}/metadata", (string id, HttpContext http, IMediator mediator, ReadYourWrites reads, CancellationToken ct) =>
            SetAll(id, MetadataChange.Merge, http, mediator, reads, ct)).WithRequestSchema("server-metadata/create");
        api.MapPut("/servers/{id}/metadata", (string id, HttpContext http, IMediator mediator, ReadYourWrites reads, CancellationToken ct) =>
            SetAll(id, MetadataChange.Replace, http, mediator, reads, ct)).WithRequestSchema("server-metadata/update-all");
        api.MapPut("/servers/{id}/metadata/{key}", SetItem).WithRequestSchema("server-metadata/update");
        api.MapDelete("/servers/{id}/metadata/{key}", async (string id, string key, IMediator mediator, ReadYourWrites reads, CancellationToken ct) =>
        {
            await reads.WaitFor(await mediator.Send(new DeleteServerMetadataItem(ServerEndpoints.ParseId(id), key), ct), ct);
            return Results.NoContent();
        });
    }

    /// <summary>The read model's metadata, after the server is found (404) and the rule allows it against its project.</summary>
    private static async Task<Dictionary<string, string>> Read(string id, string rule, IMediator mediator, Caller caller, CancellationToken ct)
    {
        var view = await mediator.Send(new GetServer(ServerEndpoints.ParseId(id)), ct);
        caller.Authorize($"os_compute_api:server-metadata:{rule}", view.ProjectId);
        return view.Metadata;
    }

    private static async Task<IResult> SetAll(string id, MetadataChange change, HttpContext http, IMediator mediator, ReadYourWrites reads,
        CancellationToken ct)
    {
        var serverId = ServerEndpoints.ParseId(id);
        var items = ItemsOf(await NovaJson.ReadObject(http.Request), "metadata");
        var written = await mediator.Send(new SetServerMetadata(serverId, items, change), ct);
        await reads.WaitFor(written.Write, ct);
        return NovaJson.Json(new { metadata = written.Metadata });
    }

    private static async Task<IResult> SetItem(string id, string key, HttpContext http, IMediator mediator, ReadYourWrites reads,
        CancellationToken ct)
    {
        var serverId = ServerEndpoints.ParseId(id);
        var meta = ItemsOf(await NovaJson.ReadObject(http.Request), "meta");
        // The schema allows exactly one item; it must be the one the URI names.
        if (!meta.ContainsKey(key)) throw NovaError.BadRequest("Request body and URI mismatch");
        var written = await mediator.Send(new SetServerMetadata(serverId, meta, MetadataChange.Item), ct);
        await reads.WaitFor(written.Write, ct);
        return NovaJson.Json(new { meta });
    }

    /// <summary>The body must be <c>{"&lt;wrapper&gt;": {key: string, …}}</c> and nothing else (also the image metadata body).</summary>
    internal static Dictionary<string, string> ItemsOf(JsonObject body, string wrapper)
    {
        foreach (var (key, _) in body)
            if (key != wrapper)
                throw NovaError.BadRequest($"Invalid input for field/attribute. Value: {body.ToJsonString()}. Additional properties are not allowed ('{key}' was unexpected)");
        var items = NovaJson.RequireObject(body, wrapper);
        var result = new Dictionary<string, string>();
        foreach (var (key, value) in items)
            result[key] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>()
                : throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {value?.ToJsonString() ?? "None"}. {value?.ToJsonString() ?? "None"} is not of type 'string'");
        return result;
    }
}
