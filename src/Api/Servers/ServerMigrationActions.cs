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
    private static readonly HashSet<string> DiskConfigs = ["AUTO", "MANUAL"];

    public static async Task<IResult> Resize(Guid serverId, JsonNode? args, IMediator mediator, ReadYourWrites reads, CancellationToken ct)
    {
        if (args is not JsonObject resize)
            throw NovaError.BadRequest($"Invalid input for field/attribute resize. Value: {args?.ToJsonString() ?? "None"}. is not of type 'object'");
        foreach (var (key, _) in resize)
            if (key is not ("flavorRef" or "OS-DCF:diskConfig"))
                throw NovaError.BadRequest($"Invalid input for field/attribute resize. Value: {resize.ToJsonString()}. Additional properties are not allowed ('{key}' was unexpected)");
        var flavorRef = resize["flavorRef"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0 => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
            null => throw NovaError.BadRequest("Invalid input for field/attribute resize. Value: " + resize.ToJsonString() + ". 'flavorRef' is a required property"),
            var other => throw NovaError.BadRequest($"Invalid input for field/attribute flavorRef. Value: {other.ToJsonString()}. is not valid under any of the given schemas"),
        };
        if (resize["OS-DCF:diskConfig"] is { } diskConfig
            && !(diskConfig is JsonValue d && d.GetValueKind() == JsonValueKind.String && DiskConfigs.Contains(d.GetValue<string>())))
            throw NovaError.BadRequest($"Invalid input for field/attribute OS-DCF:diskConfig. Value: {diskConfig.ToJsonString()}. is not one of ['AUTO', 'MANUAL']");
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

    /// <summary>migrate: null before 2.56; from 2.56 an object with an optional <c>host</c> (null or a host name).</summary>
    public static async Task<IResult> Migrate(Guid serverId, JsonNode? args, HttpContext http, IMediator mediator, ReadYourWrites reads,
        CancellationToken ct)
    {
        string? host = null;
        if (args is not null)
        {
            if (!MicroversionMiddleware.Of(http).AtLeast(56) || args is not JsonObject migrate)
                throw NovaError.BadRequest($"Invalid input for field/attribute migrate. Value: {args.ToJsonString()}. {args.ToJsonString()} is not of type 'null'");
            foreach (var (key, _) in migrate)
                if (key != "host")
                    throw NovaError.BadRequest($"Invalid input for field/attribute migrate. Value: {migrate.ToJsonString()}. Additional properties are not allowed ('{key}' was unexpected)");
            host = migrate["host"] switch
            {
                null => null,
                JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 and <= 255 } name => name,
                var other => throw NovaError.BadRequest($"Invalid input for field/attribute host. Value: {other.ToJsonString()}. is not valid under any of the given schemas"),
            };
        }
        await reads.WaitFor(await mediator.Send(new MigrateServer(serverId, host), ct), ct);
        return Results.StatusCode(202);
    }
}
