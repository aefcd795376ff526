using System.Text.Json.Nodes;
using Nova.Api.Http;
using Nova.Commands.Requests;
using Nova.Commands.Servers.Rebuilding;
using Nova.Commands.Servers.Snapshots;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Servers;

/// <summary>
/// The rebuild, createImage and createBackup actions: their bodies are checked by Nova's schemas
/// (Schemas/servers/action/{rebuild,createImage,createBackup}.v2_*.json) before they get here; Nova's answers.
/// </summary>
public static class ServerImageActions
{
    private static readonly string[] RebuildFields =
        ["name", "imageRef", "adminPass", "metadata", "preserve_ephemeral", "OS-DCF:diskConfig", "accessIPv4", "accessIPv6"];

    public static async Task<IResult> Rebuild(Guid serverId, JsonNode? args, HttpContext http, IMediator mediator, ReadYourWrites reads,
        Caller caller, CancellationToken ct)
    {
        var o = (JsonObject)args!;
        var imageRef = NovaJson.RequireString(o, "imageRef");
        var name = NovaJson.OptionalString(o, "name");
        var metadata = o["metadata"] is JsonObject meta ? Metadata(meta) : null;
        var preserveEphemeral = NovaJson.OptionalBool(o, "preserve_ephemeral") ?? false;
        // This control plane keeps no keypairs for rebuild: every key name is unknown, as Nova answers for a missing one.
        if (o["key_name"] is not null) throw NovaError.BadRequest("Invalid key_name provided.");
        // Certificates only mean something where image signatures are verified, which this control plane does not do.
        if (o["trusted_image_certificates"] is not null)
            throw NovaError.BadRequest("Image signature certificate validation is not supported here: trusted_image_certificates must be null.");

        var rebuilt = await mediator.Send(new RebuildServer(serverId, imageRef, name, metadata, preserveEphemeral,
            NovaJson.OptionalString(o, "adminPass")), ct);
        await reads.WaitFor(rebuilt.Write, ct);
        var view = await mediator.Send(new GetServer(serverId), ct);
        var audience = await mediator.Send(new GetServerAudience(MicroversionMiddleware.Of(http).AtLeast(75)), ct);
        var server = ServerJson.Detail(http, view, audience, ServerResponse.Rebuild);
        server["adminPass"] = rebuilt.AdminPass;
        http.Response.Headers.Location = $"{Links.Compute(http)}/servers/{serverId}";
        return NovaJson.Json(new { server }, 202);
    }

    public static async Task<IResult> CreateImage(Guid serverId, JsonNode? args, HttpContext http, IMediator mediator, ReadYourWrites reads,
        CancellationToken ct)
    {
        var o = (JsonObject)args!;
        var created = await mediator.Send(new CreateServerImage(serverId, NovaJson.RequireString(o, "name"),
            o["metadata"] is JsonObject meta ? Metadata(meta) : null), ct);
        await reads.WaitFor(created.Write, ct);
        return ImageAnswer(http, created.ImageId, withLocation: true);
    }

    public static async Task<IResult> CreateBackup(Guid serverId, JsonNode? args, HttpContext http, IMediator mediator, ReadYourWrites reads,
        CancellationToken ct)
    {
        var o = (JsonObject)args!;
        var rotation = NovaJson.OptionalInt(o, "rotation")!.Value;
        var created = await mediator.Send(new CreateServerBackup(serverId, NovaJson.RequireString(o, "name"),
            NovaJson.RequireString(o, "backup_type"), rotation, o["metadata"] is JsonObject meta ? Metadata(meta) : null), ct);
        await reads.WaitFor(created.Write, ct);
        // Below 2.45 Nova names the image in a Location header only when the rotation keeps it.
        return ImageAnswer(http, created.ImageId, withLocation: rotation > 0);
    }

    /// <summary>From 2.45 the image id in the body; before, an empty 202 with the image's address in Location.</summary>
    private static IResult ImageAnswer(HttpContext http, Guid imageId, bool withLocation)
    {
        if (MicroversionMiddleware.Of(http).AtLeast(45)) return NovaJson.Json(new { image_id = imageId.ToString() }, 202);
        if (withLocation) http.Response.Headers.Location = $"{Links.Root(http)}/image/v2/images/{imageId}";
        return Results.StatusCode(202);
    }

    private static Dictionary<string, string> Metadata(JsonObject meta) =>
        meta.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
}
