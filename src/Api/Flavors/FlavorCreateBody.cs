using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Nova.Api.Http;
using Nova.Commands.Flavors;

namespace Nova.Api.Flavors;

/// <summary>
/// POST /flavors: Nova's <c>create</c> / <c>create_v255</c> schema (nova/api/openstack/compute/schemas/flavors.py),
/// in one place, read into the command. A numeric <c>id</c> becomes its string, as Nova stores it.
/// </summary>
public static partial class FlavorCreateBody
{
    private static readonly string[] Keys =
        ["name", "id", "ram", "vcpus", "disk", "OS-FLV-EXT-DATA:ephemeral", "swap", "rxtx_factor", "os-flavor-access:is_public"];

    public static CreateFlavor Read(JsonObject body, Microversion version)
    {
        FlavorBodyRules.OnlyKeys(body, "", "flavor");
        var flavor = NovaJson.RequireObject(body, "flavor");
        var withDescription = version.AtLeast(55);
        FlavorBodyRules.OnlyKeys(flavor, "flavor", withDescription ? [.. Keys, "description"] : Keys);
        foreach (var (key, value) in flavor)
            if (value is null && key is not ("id" or "description"))
                throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: None. None is not of type '{(key == "name" ? "string" : "integer', 'string")}'");
        return new CreateFlavor(
            Id: Id(flavor["id"]),
            Name: FlavorBodyRules.Name(flavor),
            RamMb: Size(flavor, "ram", 1, required: true),
            Vcpus: Size(flavor, "vcpus", 1, required: true),
            DiskGb: Size(flavor, "disk", 0, required: true),
            EphemeralGb: Size(flavor, "OS-FLV-EXT-DATA:ephemeral", 0, required: false),
            SwapMb: Size(flavor, "swap", 0, required: false),
            RxtxFactor: RxtxFactor(flavor["rxtx_factor"]),
            IsPublic: IsPublic(flavor["os-flavor-access:is_public"]),
            Description: withDescription ? FlavorBodyRules.Description(flavor) : null);
    }

    /// <summary><c>{'type': ['string', 'number', 'null'], 'minLength': 1, 'maxLength': 255, 'pattern': '^(?! )[a-zA-Z0-9. _-]+(?&lt;! )$'}</c>.</summary>
    private static string? Id(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                // Python's str() of the number: 1234 → "1234", 1.5 → "1.5".
                var d = v.GetValue<double>();
                return d == Math.Floor(d) && Math.Abs(d) < 1e15 ? ((long)d).ToString(CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture);
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var id = v.GetValue<string>();
                if (id.Length is < 1 or > 255)
                    throw NovaError.BadRequest($"Invalid input for field/attribute id. Value: {id}. '{id}' is too {(id.Length == 0 ? "short" : "long")}");
                if (!IdPattern().IsMatch(id))
                    throw NovaError.BadRequest($"Invalid input for field/attribute id. Value: {id}. '{id}' does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'");
                return id;
            default:
                throw NovaError.BadRequest($"Invalid input for field/attribute id. Value: {node.ToJsonString()}. {node.ToJsonString()} is not of type 'string', 'number', 'null'");
        }
    }

    [GeneratedRegex("^(?! )[a-zA-Z0-9. _-]+(?<! )$")]
    private static partial Regex IdPattern();

    /// <summary>
    /// Nova's <c>flavor_param_positive</c> / <c>_non_negative</c>: an integer or a string of digits, from
    /// <paramref name="minimum"/> to 2147483647.
    /// </summary>
    private static int Size(JsonObject flavor, string key, int minimum, bool required)
    {
        var node = flavor[key];
        if (node is null)
            return required || flavor.ContainsKey(key)
                ? throw NovaError.BadRequest(flavor.ContainsKey(key)
                    ? $"Invalid input for field/attribute {key}. Value: None. None is not of type 'integer', 'string'"
                    : $"Invalid input for field/attribute {key}. Value: missing. '{key}' is a required property")
                : 0;
        long value;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n)) value = n;
        else if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String)
        {
            var text = s.GetValue<string>();
            if (text.Length == 0 || !text.All(char.IsAsciiDigit))
                throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {text}. '{text}' does not match '^[0-9]+$'");
            value = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : long.MaxValue;
        }
        else throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {node.ToJsonString()}. {node.ToJsonString()} is not of type 'integer', 'string'");
        if (value < minimum)
            throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {value}. {value} is less than the minimum of {minimum}");
        if (value > int.MaxValue)
            throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {value}. {value} is greater than the maximum of {int.MaxValue}");
        return (int)value;
    }

    /// <summary>A positive float up to the database's single-precision maximum, as a number or a decimal string.</summary>
    private static double RxtxFactor(JsonNode? node)
    {
        if (node is null) return 1.0;
        double value;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) && double.IsFinite(d)) value = d;
        else if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String && RxtxPattern().IsMatch(s.GetValue<string>()))
            value = double.Parse(s.GetValue<string>(), CultureInfo.InvariantCulture);
        else throw NovaError.BadRequest($"Invalid input for field/attribute rxtx_factor. Value: {node.ToJsonString()}. {node.ToJsonString()} is not of type 'number', 'string'");
        if (value <= 0 || value > 3.40282e38 || !double.IsFinite(value))
            throw NovaError.BadRequest("'rxtx_factor' argument must be a float between 0 and 3.40282e+38");
        return value;
    }

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?$")]
    private static partial Regex RxtxPattern();

    /// <summary>Nova's <c>parameter_types.boolean</c>: true/false or one of oslo's boolean words.</summary>
    private static bool IsPublic(JsonNode? node) => node switch
    {
        null => true,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && FlavorBodyRules.Boolean(v.GetValue<string>()) is { } b => b,
        _ => throw NovaError.BadRequest($"Invalid input for field/attribute os-flavor-access:is_public. Value: {node.ToJsonString()}. " +
                                        $"{node.ToJsonString()} is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', " +
                                        "False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']"),
    };
}
