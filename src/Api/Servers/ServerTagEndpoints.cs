using System.Text.Json;
using System.Text.Json.Nodes;
using Nova.Api.Http;
using Nova.Api.Schemas;
using Nova.Commands.Requests;
using Nova.Commands.Servers.Tags;
using Nova.Domain.Servers;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Servers;

/// <summary>/servers/{id}/tags (2.26): Nova's server_tags API, its six routes, schemas and codes.</summary>
public static class ServerTagEndpoints
{
    public static void MapServerTags(this IEndpointRouteBuilder api)
    {
        api.MapGet("/servers/{id}/tags", async (string id, HttpContext http, IMediator mediator, Caller caller, CancellationToken ct) =>
            NovaJson.Json(new { tags = await Read(id, "index", http, mediator, caller, ct) }));
        api.MapGet("/servers/{id}/tags/{tag}", async (string id, string tag, HttpContext http, IMediator mediator, Caller caller, CancellationToken ct) =>
            (await Read(id, "show", http, mediator, caller, ct)).Contains(tag)
                ? Results.NoContent()
                : throw NovaError.NotFound($"Server {id} has no tag '{tag}'"));
        api.MapPut("/servers/{id}/tags", SetAll).WithRequestSchema("server-tags/update-all");
        api.MapDelete("/servers/{id}/tags", async (string id, HttpContext http, IMediator mediator, ReadYourWrites reads, CancellationToken ct) =>
        {
            RequireVersion(http);
            await reads.WaitFor(await mediator.Send(new SetServerTags(ServerEndpoints.ParseId(id), []), ct), ct);
            return Results.NoContent();
        });
        api.MapPut("/servers/{id}/tags/{tag}", async (string id, string tag, HttpContext http, IMediator mediator, ReadYourWrites reads, CancellationToken ct) =>
        {
            RequireVersion(http);
            var serverId = ServerEndpoints.ParseId(id);
            var written = await mediator.Send(new AddServerTag(serverId, tag), ct);
            await reads.WaitFor(written.Write, ct);
            if (!written.Added) return Results.NoContent();
            http.Response.Headers.Location = $"{Links.Compute(http)}/servers/{serverId}/tags/{Uri.EscapeDataString(tag)}";
            return Results.StatusCode(201);
        });
        api.MapDelete("/servers/{id}/tags/{tag}", async (string id, string tag, HttpContext http, IMediator mediator, ReadYourWrites reads, CancellationToken ct) =>
        {
            RequireVersion(http);
            await reads.WaitFor(await mediator.Send(new RemoveServerTag(ServerEndpoints.ParseId(id), tag), ct), ct);
            return Results.NoContent();
        });
    }

    /// <summary>Before 2.26 the tag routes do not exist (Nova's 404 for an unsupported version).</summary>
    private static void RequireVersion(HttpContext http)
    {
        if (!MicroversionMiddleware.Of(http).AtLeast(26)) throw NovaError.NotFound("The resource could not be found.");
    }

    private static async Task<List<string>> Read(string id, string rule, HttpContext http, IMediator mediator, Caller caller, CancellationToken ct)
    {
        RequireVersion(http);
        var view = await mediator.Send(new GetServer(ServerEndpoints.ParseId(id)), ct);
        caller.Authorize($"os_compute_api:os-server-tags:{rule}", view.ProjectId);
        return view.Tags;
    }

    private static async Task<IResult> SetAll(string id, HttpContext http, IMediator mediator, ReadYourWrites reads, CancellationToken ct)
    {
        RequireVersion(http);
        var serverId = ServerEndpoints.ParseId(id);
        var body = await NovaJson.ReadObject(http.Request);
        var tags = TagsOf(body["tags"]);
        await reads.WaitFor(await mediator.Send(new SetServerTags(serverId, tags), ct), ct);
        return NovaJson.Json(new { tags = tags.Distinct().ToList() });
    }

    /// <summary>
    /// The tags of a body the schema has checked (PUT /tags, and the create body from 2.52: an array of at most 50
    /// tags); the domain's tag rule is checked again, the store relies on it.
    /// </summary>
    public static IReadOnlyList<string> TagsOf(JsonNode? node)
    {
        var array = (JsonArray)node!;
        var tags = new List<string>();
        foreach (var item in array)
        {
            var tag = item!.GetValue<string>();
            if (ServerTags.Invalid(tag) is { } why)
                throw NovaError.BadRequest($"Invalid input for field/attribute tags. Value: {array.ToJsonString()}. {why}");
            tags.Add(tag);
        }
        return tags;
    }
}
