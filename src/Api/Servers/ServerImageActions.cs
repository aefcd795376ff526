using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nova.Api.Http;
using Nova.Commands.Requests;
using Nova.Commands.Servers.Rebuilding;
using Nova.Commands.Servers.Snapshots;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Servers;

/// <summary>
/// The rebuild, createImage and createBackup actions: Nova's request schemas per microversion
/// (nova/api/openstack/compute/schemas/servers.py, create_backup.py) and its responses.
/// </summary>
public static class ServerImageActions
{
    private static readonly string[] RebuildFields =
        ["name", "imageRef", "adminPass", "metadata", "preserve_ephemeral", "OS-DCF:diskConfig", "accessIPv4", "accessIPv6"];

    public static async Task<IResult> Rebuild(Guid serverId, JsonNode? args, HttpContext http, IMediator mediator, ReadYourWrites reads,
        Caller caller, CancellationToken ct)
    {
        var version = MicroversionMiddleware.Of(http);
        var o = ObjectOf("rebuild", args);
        var allowed = new HashSet<string>(RebuildFields);
        if (!version.AtLeast(57)) allowed.Add("personality");
        if (version.AtLeast(19)) allowed.Add("description");
        if (version.AtLeast(54)) allowed.Add("key_name");
        if (version.AtLeast(57)) allowed.Add("user_data");
        if (version.AtLeast(63)) allowed.Add("trusted_image_certificates");
        OnlyKnown("rebuild", o, allowed);

        var imageRef = NovaJson.OptionalString(o, "imageRef")
                       ?? throw NovaError.BadRequest("Invalid input for field/attribute rebuild. Value: missing. 'imageRef' is a required property");
        // An image link (http://.../images/ID) is accepted like an id, as on create.
        imageRef = imageRef.TrimEnd('/').Split('/')[^1];
        var name = o.ContainsKey("name") ? Name(o, "name") : null;
        var metadata = o.ContainsKey("metadata") ? Metadata(o) : null;
        var preserveEphemeral = NovaJson.OptionalBool(o, "preserve_ephemeral") ?? false;
        if (NovaJson.OptionalString(o, "OS-DCF:diskConfig") is { } disk && disk is not ("AUTO" or "MANUAL"))
            throw NovaError.BadRequest($"Invalid input for field/attribute OS-DCF:diskConfig. Value: {disk}. '{disk}' is not one of ['AUTO', 'MANUAL']");
        Address(o, "accessIPv4", AddressFamily.InterNetwork);
        Address(o, "accessIPv6", AddressFamily.InterNetworkV6);
        if (o["personality"] is { } personality && personality is not JsonArray)
            throw NovaError.BadRequest($"Invalid input for field/attribute personality. Value: {personality.ToJsonString()}. is not of type 'array'");
        if (o["description"] is { } description
            && (description is not JsonValue d || d.GetValueKind() != JsonValueKind.String || d.GetValue<string>().Length > 255))
            throw NovaError.BadRequest($"Invalid input for field/attribute description. Value: {description.ToJsonString()}. is not a string of at most 255 characters or null");
        // This control plane keeps no keypairs: every key name is unknown, as Nova answers for a missing one.
        if (o["key_name"] is not null) throw NovaError.BadRequest("Invalid key_name provided.");
        if (o["user_data"] is { } userData && !IsBase64(userData))
            throw NovaError.BadRequest($"Invalid input for field/attribute user_data. Value: {userData.ToJsonString()}. is not a base64 string of at most 65535 characters");
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
        var o = ObjectOf("createImage", args);
        OnlyKnown("createImage", o, ["name", "metadata"]);
        var name = Name(o, "name", required: true)!;
        var created = await mediator.Send(new CreateServerImage(serverId, name, o.ContainsKey("metadata") ? Metadata(o) : null), ct);
        await reads.WaitFor(created.Write, ct);
        return ImageAnswer(http, created.ImageId, withLocation: true);
    }

    public static async Task<IResult> CreateBackup(Guid serverId, JsonNode? args, HttpContext http, IMediator mediator, ReadYourWrites reads,
        CancellationToken ct)
    {
        var o = ObjectOf("createBackup", args);
        OnlyKnown("createBackup", o, ["name", "backup_type", "rotation", "metadata"]);
        var name = Name(o, "name", required: true)!;
        var backupType = NovaJson.OptionalString(o, "backup_type")
                         ?? throw NovaError.BadRequest("Invalid input for field/attribute createBackup. Value: missing. 'backup_type' is a required property");
        if (!o.ContainsKey("rotation")) throw NovaError.BadRequest("Invalid input for field/attribute createBackup. Value: missing. 'rotation' is a required property");
        var rotation = NovaJson.OptionalInt(o, "rotation") is { } r and >= 0 ? r
            : throw NovaError.BadRequest($"Invalid input for field/attribute rotation. Value: {o["rotation"]?.ToJsonString() ?? "null"}. is not a non-negative integer");
        var created = await mediator.Send(new CreateServerBackup(serverId, name, backupType, rotation, o.ContainsKey("metadata") ? Metadata(o) : null), ct);
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

    private static JsonObject ObjectOf(string action, JsonNode? args) => args as JsonObject
        ?? throw NovaError.BadRequest($"Invalid input for field/attribute {action}. Value: {args?.ToJsonString() ?? "null"}. is not of type 'object'");

    private static void OnlyKnown(string action, JsonObject o, IReadOnlySet<string> allowed)
    {
        foreach (var key in o.Select(p => p.Key))
            if (!allowed.Contains(key))
                throw NovaError.BadRequest($"Invalid input for field/attribute {action}. Value: {o.ToJsonString()}. Additional properties are not allowed ('{key}' was unexpected)");
    }

    private static void OnlyKnown(string action, JsonObject o, string[] allowed) => OnlyKnown(action, o, new HashSet<string>(allowed));

    /// <summary>Nova's parameter_types.name: 1–255 characters, no leading or trailing whitespace.</summary>
    private static string? Name(JsonObject o, string key, bool required = false)
    {
        var name = NovaJson.OptionalString(o, key);
        if (name is null)
            return required || o.ContainsKey(key)
                ? throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {o[key]?.ToJsonString() ?? "missing"}. '{key}' is a required property of type 'string'")
                : null;
        if (name.Length is 0 or > 255 || name.Trim() != name)
            throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {name}. '{name}' does not match the name pattern (1-255 characters, no leading or trailing whitespace)");
        return name;
    }

    /// <summary>Nova's parameter_types.metadata: an object of strings, keys 1–255 and values up to 255 characters.</summary>
    private static Dictionary<string, string> Metadata(JsonObject o)
    {
        if (o["metadata"] is not JsonObject meta)
            throw NovaError.BadRequest($"Invalid input for field/attribute metadata. Value: {o["metadata"]?.ToJsonString() ?? "null"}. is not of type 'object'");
        var metadata = new Dictionary<string, string>();
        foreach (var (key, value) in meta)
        {
            if (key.Length is 0 or > 255)
                throw NovaError.BadRequest($"Invalid input for field/attribute metadata. Value: {meta.ToJsonString()}. '{key}' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{{1,255}}$'");
            metadata[key] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length <= 255 ? v.GetValue<string>()
                : throw NovaError.BadRequest($"Invalid input for field/attribute metadata. Value: {meta.ToJsonString()}. {value?.ToJsonString() ?? "null"} is not a string of at most 255 characters");
        }
        return metadata;
    }

    private static void Address(JsonObject o, string key, AddressFamily family)
    {
        if (NovaJson.OptionalString(o, key) is not { } text) return;
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != family)
            throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {text}. '{text}' is not a '{(family == AddressFamily.InterNetwork ? "ipv4" : "ipv6")}'");
    }

    internal static bool IsBase64(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: <= 65535 } text
        && Convert.TryFromBase64String(text, new byte[text.Length], out _);
}
