using System.Text.Json.Nodes;
using Nova.Api.Http;
using Nova.Domain.Quotas;

namespace Nova.Api.Quotas;

/// <summary>
/// Which Nova quota resources a body shows at a microversion, and the PUT bodies that change them. Quota sets lose the
/// network limits at 2.36, quota classes at 2.50 (where they gain the server group ones, missing from v2.1 by a Nova
/// bug kept for compatibility); both lose the personality-file limits at 2.57.
/// </summary>
public static class QuotaBodies
{
    public static IReadOnlyList<string> OfQuotaSet(Microversion version) => Shown(version, networkGoneAt: 36, serverGroupsFrom: 1);

    public static IReadOnlyList<string> OfQuotaClass(Microversion version) => Shown(version, networkGoneAt: 50, serverGroupsFrom: 50);

    /// <summary>What a quota-class PUT may set: the server group limits too before 2.50 (Nova's schema has them, its body not).</summary>
    public static IReadOnlyList<string> SettableInQuotaClass(Microversion version) => Shown(version, networkGoneAt: 50, serverGroupsFrom: 1);

    private static IReadOnlyList<string> Shown(Microversion version, int networkGoneAt, int serverGroupsFrom) =>
        QuotaResources.All.Where(r =>
                !(version.AtLeast(networkGoneAt) && QuotaResources.Network.Contains(r))
                && !(version.AtLeast(57) && QuotaResources.Personality.Contains(r))
                && !(!version.AtLeast(serverGroupsFrom) && r is QuotaResources.ServerGroups or QuotaResources.ServerGroupMembers))
            .ToList();

    /// <summary>The body's limits, <c>id</c> first when given.</summary>
    public static Dictionary<string, object> Limits(string? id, QuotaLimits limits, IReadOnlyList<string> resources)
    {
        var body = new Dictionary<string, object>();
        if (id is not null) body["id"] = id;
        foreach (var r in resources) body[r] = limits[r];
        return body;
    }

    /// <summary>
    /// The changes a PUT's <paramref name="key"/> object asks for. As Nova's schema: only the resources the microversion
    /// shows (and <paramref name="extra"/>, such as <c>force</c>), each an integer or a string of digits.
    /// </summary>
    public static IReadOnlyDictionary<string, int> Changes(JsonObject body, string key, IReadOnlyList<string> resources, params string[] extra)
    {
        var unexpected = body.Select(p => p.Key).Where(k => k != key).Order(StringComparer.Ordinal).ToList();
        if (unexpected.Count > 0) throw NovaError.BadRequest($"Additional properties are not allowed ({Listed(unexpected)})");
        var set = NovaJson.RequireObject(body, key);
        unexpected = set.Select(p => p.Key).Where(k => !resources.Contains(k) && !extra.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unexpected.Count > 0)
            throw NovaError.BadRequest(
                $"Invalid input for field/attribute {key}. Value: {set.ToJsonString()}. Additional properties are not allowed ({Listed(unexpected)})");
        var changes = new Dictionary<string, int>();
        foreach (var r in resources)
            if (NovaJson.OptionalInt(set, r) is { } value) changes[r] = value;
        return changes;
    }

    private static string Listed(IReadOnlyList<string> keys) =>
        $"{string.Join(", ", keys.Select(k => $"'{k}'"))} {(keys.Count == 1 ? "was" : "were")} unexpected";
}
