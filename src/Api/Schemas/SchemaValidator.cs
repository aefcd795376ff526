using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Nova.Api.Schemas;

/// <summary>Where in the request body a violation is: the keys and indexes down to the value.</summary>
public sealed record SchemaPath(SchemaPath? Parent, string? Key, int? Index)
{
    public static readonly SchemaPath Root = new(null, null, null);
    public bool IsRoot => Parent is null;
    public SchemaPath Property(string key) => new(this, key, null);
    public SchemaPath Item(int index) => new(this, null, index);
    /// <summary>The innermost key or index, as Nova's message names it (<c>ex.path.pop()</c>).</summary>
    public string Last => Key ?? Index?.ToString(CultureInfo.InvariantCulture) ?? "";
}

/// <summary>One way the body breaks its schema: jsonschema's message, where, the value there, and Nova's InvalidName reason if a name format refused it.</summary>
public sealed record SchemaViolation(string Message, SchemaPath Path, JsonNode? Instance, string? NameReason = null)
{
    /// <summary>Nova's detail (nova/api/validation/validators.py, _SchemaValidator.validate).</summary>
    public string Detail => NameReason is not null
        ? $"An invalid 'name' value was provided. The name must be: {NameReason}"
        : Path.IsRoot ? Message : $"Invalid input for field/attribute {Path.Last}. Value: {PythonRepr.Str(Instance)}. {Message}";
}

/// <summary>
/// The JSON Schema (draft 2020-12) keywords Nova's request schemas use, checked as Python's jsonschema checks them:
/// keywords in the schema's own order and the first violation wins, as Nova raises the first error it meets, with
/// jsonschema's messages; minimum and maximum also read numeric strings, as Nova's validator does.
/// </summary>
public static class SchemaValidator
{
    public static SchemaViolation? FirstViolation(JsonNode schema, JsonNode? instance) =>
        Violations(schema, instance, SchemaPath.Root).FirstOrDefault();

    public static bool IsValid(JsonNode schema, JsonNode? instance) => FirstViolation(schema, instance) is null;

    public static IEnumerable<SchemaViolation> Violations(JsonNode? schema, JsonNode? instance, SchemaPath path)
    {
        if (schema is JsonValue b && b.GetValueKind() == JsonValueKind.False)
        {
            yield return new($"False schema does not allow {PythonRepr.Repr(instance)}", path, instance);
            yield break;
        }
        if (schema is not JsonObject s) yield break;
        foreach (var (keyword, value) in s)
        {
            foreach (var violation in Keyword(keyword, value!, s, instance, path))
                yield return violation;
        }
    }

    private static IEnumerable<SchemaViolation> Keyword(string keyword, JsonNode value, JsonObject schema, JsonNode? instance, SchemaPath path)
    {
        var r = PythonRepr.Repr(instance);
        switch (keyword)
        {
            case "type":
                var types = value is JsonArray many ? many.Select(t => t!.GetValue<string>()).ToList() : [value.GetValue<string>()];
                if (!types.Any(t => IsType(instance, t)))
                    yield return new($"{r} is not of type {string.Join(", ", types.Select(PythonRepr.String))}", path, instance);
                break;
            case "properties" when instance is JsonObject o:
                foreach (var (name, subschema) in (JsonObject)value)
                    if (o.TryGetPropertyValue(name, out var child))
                        foreach (var v in Violations(subschema, child, path.Property(name))) yield return v;
                break;
            case "patternProperties" when instance is JsonObject o:
                foreach (var (pattern, subschema) in (JsonObject)value)
                    foreach (var (name, child) in o.ToList())
                        if (Search(pattern, name))
                            foreach (var v in Violations(subschema, child, path.Property(name))) yield return v;
                break;
            case "additionalProperties" when instance is JsonObject o:
                var properties = schema["properties"] as JsonObject;
                var patterns = (schema["patternProperties"] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
                var extras = o.Select(p => p.Key)
                    .Where(k => properties?.ContainsKey(k) != true && !patterns.Any(p => Search(p, k))).ToList();
                if (extras.Count == 0) break;
                if (value is JsonObject additional)
                {
                    foreach (var name in extras)
                        foreach (var v in Violations(additional, o[name], path.Property(name))) yield return v;
                }
                else if (value.GetValueKind() == JsonValueKind.False)
                {
                    var sorted = extras.Order(StringComparer.Ordinal).Select(PythonRepr.String).ToList();
                    if (patterns.Count > 0)
                        yield return new($"{string.Join(", ", sorted)} {(sorted.Count == 1 ? "does" : "do")} not match any of the regexes: "
                            + string.Join(", ", patterns.Order(StringComparer.Ordinal).Select(PythonRepr.String)), path, instance);
                    else
                        yield return new($"Additional properties are not allowed ({string.Join(", ", sorted)} {(sorted.Count == 1 ? "was" : "were")} unexpected)", path, instance);
                }
                break;
            case "required" when instance is JsonObject o:
                foreach (var name in (JsonArray)value)
                    if (!o.ContainsKey(name!.GetValue<string>()))
                        yield return new($"{PythonRepr.Repr(name)} is a required property", path, instance);
                break;
            case "minProperties" when instance is JsonObject o && o.Count < value.GetValue<int>():
                yield return new(value.GetValue<int>() == 1 ? $"{r} should be non-empty" : $"{r} does not have enough properties", path, instance);
                break;
            case "maxProperties" when instance is JsonObject o && o.Count > value.GetValue<int>():
                yield return new(value.GetValue<int>() == 0 ? $"{r} is expected to be empty" : $"{r} has too many properties", path, instance);
                break;
            case "minLength" when Text(instance) is { } text && Length(text) < value.GetValue<int>():
                yield return new(value.GetValue<int>() == 1 ? $"{r} should be non-empty" : $"{r} is too short", path, instance);
                break;
            case "maxLength" when Text(instance) is { } text && Length(text) > value.GetValue<int>():
                yield return new(value.GetValue<int>() == 0 ? $"{r} is expected to be empty" : $"{r} is too long", path, instance);
                break;
            case "pattern" when Text(instance) is { } text && !Search(value.GetValue<string>(), text):
                yield return new($"{r} does not match {PythonRepr.Repr(value)}", path, instance);
                break;
            case "format":
                var format = value.GetValue<string>();
                if (SchemaFormats.NameReason(format) is { } reason)
                {
                    if (!SchemaFormats.IsName(format, Text(instance)))
                        yield return new($"{r} is not a {PythonRepr.String(format)}", path, instance, reason);
                }
                else if (format == "printable" && Text(instance) is { } printable && !SchemaFormats.Fits(format, printable))
                    yield return new($"{r} does not match '^[printable characters]*$'", path, instance);
                else if (Text(instance) is { } formatted && !SchemaFormats.Fits(format, formatted))
                    yield return new($"{r} is not a {PythonRepr.String(format)}", path, instance);
                break;
            case "enum" when !((JsonArray)value).Any(e => Equal(e, instance)):
                yield return new($"{r} is not one of {PythonRepr.Repr(value)}", path, instance);
                break;
            case "const" when !Equal(value, instance):
                yield return new($"{PythonRepr.Repr(value)} was expected", path, instance);
                break;
            case "minimum" when NumberFromString(instance) is var (n, shown) && n < value.GetValue<double>():
                yield return new($"{shown} is less than the minimum of {PythonRepr.Repr(value)}", path, instance);
                break;
            case "maximum" when NumberFromString(instance) is var (n, shown) && n > value.GetValue<double>():
                yield return new($"{shown} is greater than the maximum of {PythonRepr.Repr(value)}", path, instance);
                break;
            case "prefixItems" when instance is JsonArray a:
                var prefix = (JsonArray)value;
                for (var i = 0; i < Math.Min(prefix.Count, a.Count); i++)
                    foreach (var v in Violations(prefix[i], a[i], path.Item(i))) yield return v;
                break;
            case "items" when instance is JsonArray a:
                var start = (schema["prefixItems"] as JsonArray)?.Count ?? 0;
                if (value.GetValueKind() == JsonValueKind.False && a.Count > start)
                {
                    yield return new($"Expected at most {start} item{(start == 1 ? "" : "s")} but found {a.Count - start} extra: "
                        + PythonRepr.Repr(a[start]), path, instance);
                    break;
                }
                for (var i = start; i < a.Count; i++)
                    foreach (var v in Violations(value, a[i], path.Item(i))) yield return v;
                break;
            case "minItems" when instance is JsonArray a && a.Count < value.GetValue<int>():
                yield return new(value.GetValue<int>() == 1 ? $"{r} should be non-empty" : $"{r} is too short", path, instance);
                break;
            case "maxItems" when instance is JsonArray a && a.Count > value.GetValue<int>():
                yield return new(value.GetValue<int>() == 0 ? $"{r} is expected to be empty" : $"{r} is too long", path, instance);
                break;
            case "uniqueItems" when value.GetValueKind() == JsonValueKind.True && instance is JsonArray a
                                    && a.Where((x, i) => a.Skip(i + 1).Any(y => Equal(x, y))).Any():
                yield return new($"{r} has non-unique elements", path, instance);
                break;
            case "allOf":
                foreach (var subschema in (JsonArray)value)
                    foreach (var v in Violations(subschema, instance, path)) yield return v;
                break;
            case "anyOf" when !((JsonArray)value).Any(sub => !Violations(sub, instance, path).Any()):
                yield return new($"{r} is not valid under any of the given schemas", path, instance);
                break;
            case "oneOf":
                var valid = ((JsonArray)value).Where(sub => !Violations(sub, instance, path).Any()).ToList();
                if (valid.Count == 0)
                    yield return new($"{r} is not valid under any of the given schemas", path, instance);
                else if (valid.Count > 1)
                    yield return new($"{r} is valid under each of {string.Join(", ", valid.Select(PythonRepr.Repr))}", path, instance);
                break;
            case "not" when !Violations(value, instance, path).Any():
                yield return new($"{r} should not be valid under {PythonRepr.Repr(value)}", path, instance);
                break;
        }
    }

    private static bool IsType(JsonNode? instance, string type)
    {
        var kind = instance?.GetValueKind() ?? JsonValueKind.Null;
        return type switch
        {
            "null" => kind == JsonValueKind.Null,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "number" => kind == JsonValueKind.Number,
            // 2020-12: 1.0 is an integer too.
            "integer" => kind == JsonValueKind.Number && (IsIntegerText(instance!.ToJsonString())
                || (double.TryParse(instance.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && Math.Floor(d) == d)),
            _ => false,
        };
    }

    private static bool IsIntegerText(string json) => json.IndexOfAny(['.', 'e', 'E']) < 0;

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    // Python counts code points, not UTF-16 units.
    private static int Length(string text) => text.EnumerateRunes().Count();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Patterns = new();

    /// <summary>Python's re.search: anywhere in the text unless anchored.</summary>
    private static bool Search(string pattern, string text) =>
        Patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))).IsMatch(text);

    /// <summary>
    /// Nova's minimum/maximum read a number from a string (int(), then float()); a value that is neither is not
    /// compared. The message shows the number read, as Python's does. A float compares by its integer part, as int() cuts it.
    /// </summary>
    private static (double Value, string Shown)? NumberFromString(JsonNode? instance)
    {
        switch (instance?.GetValueKind())
        {
            case JsonValueKind.True: return (1, "1");
            case JsonValueKind.False: return (0, "0");
            case JsonValueKind.Number:
                var json = instance!.ToJsonString();
                var d = double.Parse(json, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (IsIntegerText(json)) return (d, PythonRepr.Number(json));
                if (!double.IsFinite(d)) return null;
                var cut = Math.Truncate(d);
                return (cut, cut.ToString("0", CultureInfo.InvariantCulture));
            case JsonValueKind.String:
                var text = instance!.GetValue<string>().Trim().Replace("_", "", StringComparison.Ordinal);
                if (text.Length > 0 && text.TrimStart('+', '-').All(char.IsAsciiDigit) && text.TrimStart('+', '-').Length > 0
                    && text.Count(c => c is '+' or '-') <= 1 && System.Numerics.BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
                    return ((double)big, big.ToString(CultureInfo.InvariantCulture));
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f))
                    return (f, PythonRepr.Float(f));
                if (text.Equals("inf", StringComparison.OrdinalIgnoreCase) || text.Equals("+inf", StringComparison.OrdinalIgnoreCase) || text.Equals("infinity", StringComparison.OrdinalIgnoreCase))
                    return (double.PositiveInfinity, "inf");
                if (text.Equals("-inf", StringComparison.OrdinalIgnoreCase) || text.Equals("-infinity", StringComparison.OrdinalIgnoreCase))
                    return (double.NegativeInfinity, "-inf");
                return null;
            default:
                return null;
        }
    }

    /// <summary>jsonschema's equality: true is not 1, 1 is 1.0, objects and arrays by content.</summary>
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        var (ka, kb) = (a?.GetValueKind() ?? JsonValueKind.Null, b?.GetValueKind() ?? JsonValueKind.Null);
        if (ka == JsonValueKind.Number && kb == JsonValueKind.Number)
            return double.Parse(a!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
                == double.Parse(b!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (ka != kb) return false;
        return ka switch
        {
            JsonValueKind.String => a!.GetValue<string>() == b!.GetValue<string>(),
            JsonValueKind.Array => ((JsonArray)a!).Count == ((JsonArray)b!).Count && ((JsonArray)a).Zip((JsonArray)b).All(p => Equal(p.First, p.Second)),
            JsonValueKind.Object => ((JsonObject)a!).Count == ((JsonObject)b!).Count
                && ((JsonObject)a).All(p => ((JsonObject)b).TryGetPropertyValue(p.Key, out var other) && Equal(p.Value, other)),
            _ => true,
        };
    }
}
