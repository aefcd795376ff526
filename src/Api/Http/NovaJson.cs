using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nova.Api.Http;

/// <summary>Reads request bodies strictly, with Nova's wording for what is wrong.</summary>
public static class NovaJson
{
    /// <summary>
    /// The one reader of request bodies: a JSON object, no duplicate keys (which one would win is the reader's
    /// choice, not the client's), nested at most 32 deep, and no string PostgreSQL cannot store (<see cref="StorableText"/>).
    /// </summary>
    public static async Task<JsonObject> ReadObject(HttpRequest request)
    {
        // Read once: a request schema filter (Schemas/RequestSchemas.cs) reads the body before the handler does.
        if (request.HttpContext.Items[ParsedBodyKey] is JsonObject parsed) return parsed;
        var body = await Parse(request);
        request.HttpContext.Items[ParsedBodyKey] = body;
        return body;
    }

    private const string ParsedBodyKey = "nova.body";

    private static async Task<JsonObject> Parse(HttpRequest request)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, documentOptions: Strict);
        }
        catch (JsonException)
        {
            throw NovaError.BadRequest("Malformed request body");
        }
        StorableText.RequireIn(node);
        return node as JsonObject ?? throw NovaError.BadRequest("Malformed request body");
    }

    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    public static JsonObject RequireObject(JsonObject body, string key) =>
        body[key] switch
        {
            JsonObject o => o,
            null when !body.ContainsKey(key) => throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: missing. '{key}' is a required property"),
            var other => throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {other?.ToJsonString() ?? "null"}. is not of type 'object'"),
        };

    public static string? OptionalString(JsonObject o, string key) =>
        o[key] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            var other => throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {other.ToJsonString()}. {other.ToJsonString()} is not of type 'string'"),
        };

    public static string RequireString(JsonObject o, string key) =>
        OptionalString(o, key) ?? throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: missing. '{key}' is a required property");

    /// <summary>Nova accepts integers as numbers or numeric strings (flavor ram, vcpus, disk).</summary>
    public static int? OptionalInt(JsonObject o, string key)
    {
        var node = o[key];
        if (node is null) return null;
        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i)) return i;
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue) return (int)d;
            if (v.GetValueKind() == JsonValueKind.String && int.TryParse(v.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)) return s;
        }
        throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {node.ToJsonString()}. {node.ToJsonString()} is not of type 'integer'");
    }

    public static double? OptionalNumber(JsonObject o, string key)
    {
        var node = o[key];
        if (node is null) return null;
        if (node is JsonValue v)
        {
            // Out of double's range (1e999) or not a number at all (the string "NaN", "Infinity"): refused, never stored.
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) && double.IsFinite(d)) return d;
            if (v.GetValueKind() == JsonValueKind.String && double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && double.IsFinite(s)) return s;
        }
        throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {node.ToJsonString()}. is not of type 'number'");
    }

    public static bool? OptionalBool(JsonObject o, string key)
    {
        var node = o[key];
        if (node is null) return null;
        if (node is JsonValue v)
        {
            if (v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
            // Nova's parameter_types.boolean words: true/True/1/on/yes, false/False/0/off/no.
            if (v.GetValueKind() == JsonValueKind.String && QueryParameters.Flag(v.GetValue<string>()) is { } b) return b;
        }
        throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {node.ToJsonString()}. is not of type 'boolean'");
    }

    /// <summary>Nova's timestamp format: seconds precision, Z.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>The older <c>OS-SRV-USG</c> / instance-action format: microseconds, no zone.</summary>
    public static string? UsageTime(DateTimeOffset? t) =>
        t?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    public static IResult Json(object body, int status = 200) =>
        Results.Json(body, Options, "application/json", status);

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = null,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
    };
}
