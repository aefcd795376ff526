using System.Globalization;

namespace Nova.Api.Http;

/// <summary>
/// The one parser of query parameters for every endpoint: each typed reader answers Nova's 400 message for a value
/// it cannot read (Nova's JSON-schema wording), and null when the parameter is absent.
/// </summary>
public static class QueryParameters
{
    /// <summary>The first value; null when absent or empty (an empty filter means no filter, as in Nova).</summary>
    public static string? Text(this IQueryCollection q, string key) =>
        q.TryGetValue(key, out var v) && v.Count > 0 && !string.IsNullOrEmpty(v[0]) ? v[0] : null;

    /// <summary>For filters where a present parameter must have a value: an empty one is a mistake, not "no filter".</summary>
    public static string? NonEmptyText(this IQueryCollection q, string key) =>
        !q.TryGetValue(key, out var v) ? null
        : v.Count > 0 && !string.IsNullOrEmpty(v[0]) ? v[0]
        : throw NovaError.BadRequest($"Invalid input for query parameters {key}. Value: empty.");

    /// <summary>Nova's <c>limit</c>: digits only.</summary>
    public static int? Limit(this IQueryCollection q) =>
        q.Text("limit") is { } l
            ? int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit
                : throw NovaError.BadRequest($"Invalid input for query parameters limit. Value: {l}. '{l}' does not match '^[0-9]*$'")
            : null;

    /// <summary>A non-negative integer (a position, a version), digits only.</summary>
    public static long? Position(this IQueryCollection q, string key, string? text = null) =>
        (text ?? q.Text(key)) is { } a
            ? long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
                : throw NovaError.BadRequest($"Invalid input for query parameters {key}. Value: {a}. '{a}' does not match '^[0-9]*$'")
            : null;

    public static Guid? Uuid(this IQueryCollection q, string key, string? text = null) =>
        (text ?? q.Text(key)) is { } s
            ? Guid.TryParse(s, out var id) ? id : throw NovaError.BadRequest($"Invalid input for query parameters {key}. Value: {s}. '{s}' is not a 'uuid'")
            : null;

    /// <summary>An ISO 8601 time, UTC when it names no offset.</summary>
    public static DateTimeOffset? Time(this IQueryCollection q, string key, string? text = null) =>
        (text ?? q.Text(key)) is { } t
            ? DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at
                : throw NovaError.BadRequest($"Invalid input for query parameters {key}. Value: {t}. '{t}' is not a 'date-time'")
            : null;

    /// <summary>Nova's parameter_types.boolean words (true/1/on/yes, false/0/off/no).</summary>
    public static bool? Flag(this IQueryCollection q, string key) =>
        q.Text(key) is { } text
            ? Flag(text) ?? throw NovaError.BadRequest($"Invalid input for query parameters {key}. Value: {text}. '{text}' is not a valid boolean")
            : null;

    /// <summary>Nova's legacy "anything but 0 or false" switches (<c>all_tenants</c>, <c>all_projects</c>).</summary>
    public static bool Switch(this IQueryCollection q, string key) => q.Text(key) is { } v && v is not ("0" or "false" or "False");

    /// <summary>Nova's <c>additionalProperties: False</c> query schemas: any other parameter is refused.</summary>
    public static void OnlyKnown(this IQueryCollection q, IReadOnlyCollection<string> known)
    {
        var unexpected = q.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).Select(k => $"'{k}'").ToList();
        if (unexpected.Count > 0)
            throw NovaError.BadRequest(
                $"Additional properties are not allowed ({string.Join(", ", unexpected)} {(unexpected.Count == 1 ? "was" : "were")} unexpected)");
    }

    public static bool? Flag(string text) =>
        TrueWords.Contains(text, StringComparer.OrdinalIgnoreCase) ? true
        : FalseWords.Contains(text, StringComparer.OrdinalIgnoreCase) ? false
        : null;

    private static readonly string[] TrueWords = ["true", "1", "on", "yes"];
    private static readonly string[] FalseWords = ["false", "0", "off", "no"];
}
