using System.Text.Json;
using System.Text.Json.Nodes;
using Nova.Api.Http;

namespace Nova.Api.Flavors;

/// <summary>The pieces Nova's flavor schemas share: closed objects, its name and description formats, its boolean words.</summary>
public static class FlavorBodyRules
{
    public static void OnlyKeys(JsonObject body, string field, params string[] allowed)
    {
        if (body.Select(p => p.Key).FirstOrDefault(k => !allowed.Contains(k)) is { } extra)
            throw NovaError.BadRequest($"Invalid input for field/attribute {field}. Value: {body.ToJsonString()}. Additional properties are not allowed ('{extra}' was unexpected)");
    }

    /// <summary>Nova's <c>parameter_types.name</c>: 1 to 255 printable characters, no leading or trailing whitespace.</summary>
    public static string Name(JsonObject flavor)
    {
        var name = NovaJson.RequireString(flavor, "name");
        if (name.Length is < 1 or > 255)
            throw NovaError.BadRequest($"Invalid input for field/attribute name. Value: {name}. '{name}' is too {(name.Length == 0 ? "short" : "long")}");
        if (name.Trim() != name || name.Any(char.IsControl))
            throw NovaError.BadRequest($"Invalid input for field/attribute name. Value: {name}. An invalid 'name' value was provided. " +
                                       "The name must be: printable characters. Can not start or end with whitespace.");
        return name;
    }

    /// <summary>2.55's description: a string (or null) of at most 65535 printable characters, line breaks and tabs allowed.</summary>
    public static string? Description(JsonObject flavor)
    {
        var node = flavor["description"];
        if (node is null) return null;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            throw NovaError.BadRequest($"Invalid input for field/attribute description. Value: {node.ToJsonString()}. {node.ToJsonString()} is not of type 'string', 'null'");
        var text = v.GetValue<string>();
        if (text.Length > 65535)
            throw NovaError.BadRequest($"Invalid input for field/attribute description. Value: {text[..20]}…. is too long");
        if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            throw NovaError.BadRequest($"Invalid input for field/attribute description. Value: {text}. not printable characters");
        return text;
    }

    /// <summary>Nova's <c>parameter_types.boolean</c> words for a string; null for any other.</summary>
    public static bool? Boolean(string text) => text switch
    {
        "True" or "TRUE" or "true" or "1" or "ON" or "On" or "on" or "YES" or "Yes" or "yes" => true,
        "False" or "FALSE" or "false" or "0" or "OFF" or "Off" or "off" or "NO" or "No" or "no" => false,
        _ => null,
    };

    /// <summary>oslo's <c>bool_from_string(strict=True)</c>, for query parameters: null for a word it does not know.</summary>
    public static bool? StrictBoolean(string text) => text.Trim().ToLowerInvariant() switch
    {
        "1" or "t" or "true" or "on" or "y" or "yes" => true,
        "0" or "f" or "false" or "off" or "n" or "no" => false,
        _ => null,
    };
}
