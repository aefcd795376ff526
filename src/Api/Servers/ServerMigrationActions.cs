using System.Text.Json;
using System.Text.Json.Nodes;
using Nova.Api.Http;
using Nova.Commands.Servers;
using Nova.Commands.Servers.Resizing;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Servers;

/// <summary>resize, confirmResize, revertResize and migrate: Nova's request schemas and response codes.</summary>
public static class ServerMigrationActions
{
    // Bodies checked by Schemas/servers/action/{resize,confirmResize,revertResize,migrate}.v2_*.json.

    public static async Task<IResult> Resize(Guid serverId, JsonNode? args, IMediator mediator, ReadYourWrites reads, CancellationToken ct)
    {
        var flavorRef = args!["flavorRef"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : args["flavorRef"]!.ToJsonString();
        await reads.WaitFor(await mediator.Send(new ResizeServer(serverId, flavorRef), ct), ct);
        return Results.StatusCode(202);
    }

    /// <summary>Nova answers confirmResize with 204 and revertResize with 202.</summary>
    public static async Task<IResult> Confirm(Guid serverId, IMediator mediator, ReadYourWrites reads, CancellationToken ct)
    {
        await reads.WaitFor(await mediator.Send(new ConfirmServerResize(serverId), ct), ct);
        return Results.NoContent();
    }

    public static async Task<IResult> Revert(Guid serverId, IMediator mediator, ReadYourWrites reads, CancellationToken ct)
    {
        await reads.WaitFor(await mediator.Send(new RevertServerResize(serverId), ct), ct);
        return Results.StatusCode(202);
    }

    /// <summary>
    /// migrate: before 2.56 Nova checks no body and ignores it (<c>{"migrate": {}}</c> or null alike); from 2.56 null
    /// or an object with an optional <c>host</c> (null or a host name).
    /// </summary>
    public static async Task<IResult> Migrate(Guid serverId, JsonNode? args, HttpContext http, IMediator mediator, ReadYourWrites reads,
        CancellationToken ct)
    {
        var host = MicroversionMiddleware.Of(http).AtLeast(56) && args is JsonObject migrate ? NovaJson.OptionalString(migrate, "host") : null;
        await reads.WaitFor(await mediator.Send(new MigrateServer(serverId, host), ct), ct);
        return Results.StatusCode(202);
    }
}
