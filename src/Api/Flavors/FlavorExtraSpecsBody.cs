using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Nova.Api.Http;

namespace Nova.Api.Flavors;

/// <summary>
/// The extra-spec bodies, Nova's <c>flavors_extraspecs</c> schemas: keys of 1 to 255 of <c>[a-zA-Z0-9-_:. ]</c>,
/// values strings of at most 255 or numbers (kept as their text). POST takes <c>{"extra_specs": {…}}</c>,
/// PUT …/{key} exactly one item, the key of the URI.
/// </summary>
public static partial class FlavorExtraSpecsBody
{
    public static Dictionary<string, string> ReadMerge(JsonObject body)
    {
        FlavorBodyRules.OnlyKeys(body, "", "extra_specs");
        return Specs(NovaJson.RequireObject(body, "extra_specs"), "extra_specs");
    }

    public static Dictionary<string, string> ReadItem(JsonObject body, string key)
    {
        var specs = Specs(body, "");
        if (specs.Count != 1)
            throw NovaError.BadRequest($"Invalid input for field/attribute. Value: {body.ToJsonString()}. " +
                                       (specs.Count == 0 ? "{} does not have enough properties" : $"{body.ToJsonString()} has too many properties"));
        if (!specs.ContainsKey(key)) throw NovaError.BadRequest("Request body and URI mismatch");
        return specs;
    }

    private static Dictionary<string, string> Specs(JsonObject specs, string field)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, node) in specs)
        {
            if (!KeyPattern().IsMatch(key))
                throw NovaError.BadRequest($"Invalid input for field/attribute {field}. Value: {specs.ToJsonString()}. Additional properties are not allowed ('{key}' was unexpected)");
            var value = node is JsonValue v ? v.GetValueKind() switch
            {
                JsonValueKind.String => v.GetValue<string>(),
                // Python's str() of the number, as Nova stores it.
                JsonValueKind.Number => v.TryGetValue<long>(out var n) ? n.ToString(CultureInfo.InvariantCulture) : v.GetValue<double>().ToString("R", CultureInfo.InvariantCulture),
                _ => null,
            } : null;
            if (value is null)
                throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {node?.ToJsonString() ?? "None"}. {node?.ToJsonString() ?? "None"} is not of type 'string', 'number'");
            if (value.Length > 255)
                throw NovaError.BadRequest($"Invalid input for field/attribute {key}. Value: {value}. '{value}' is too long");
            result[key] = value;
        }
        return result;
    }

    [GeneratedRegex(@"^[a-zA-Z0-9_:. \-]{1,255}$")]
    private static partial Regex KeyPattern();
}
