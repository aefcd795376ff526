using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Quotas;

/// <summary>The keys of the quota-set and limits bodies at each microversion, exactly as Tempest's response schemas require them.</summary>
[Collection(StackCollection.Name)]
public sealed class QuotaBodyTests(ControlPlaneStack stack)
{
    private static readonly string[] Core = ["cores", "instances", "key_pairs", "metadata_items", "ram", "server_group_members", "server_groups"];
    private static readonly string[] Network = ["fixed_ips", "floating_ips", "security_group_rules", "security_groups"];
    private static readonly string[] Personality = ["injected_file_content_bytes", "injected_file_path_bytes", "injected_files"];

    private static IEnumerable<string> Keys(JsonNode? o) => o!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);
    private static IEnumerable<string> Sorted(params IEnumerable<string>[] parts) => parts.SelectMany(p => p).Order(StringComparer.Ordinal);

    public static TheoryData<string, string[]> QuotaSetKeys() => new()
    {
        { "2.1", [.. Core, .. Network, .. Personality] },
        { "2.35", [.. Core, .. Network, .. Personality] },
        { "2.36", [.. Core, .. Personality] },
        { "2.56", [.. Core, .. Personality] },
        { "2.57", Core },
        { "2.72", Core },
    };

    [Theory]
    [MemberData(nameof(QuotaSetKeys))]
    public async Task Quota_set_show_defaults_detail_and_update_have_the_microversions_keys(string version, string[] keys)
    {
        var admin = stack.Client("admin:admin", version);
        var (_, shown) = await admin.Get("/v2.1/os-quota-sets/quota-body");
        Assert.Equal(Sorted(keys, ["id"]), Keys(shown!["quota_set"]));
        Assert.Equal("quota-body", shown["quota_set"]!["id"]!.GetValue<string>());
        var (_, defaults) = await admin.Get("/v2.1/os-quota-sets/quota-body/defaults");
        Assert.Equal(Sorted(keys, ["id"]), Keys(defaults!["quota_set"]));
        var (_, detail) = await admin.Get("/v2.1/os-quota-sets/quota-body/detail");
        Assert.Equal(Sorted(keys, ["id"]), Keys(detail!["quota_set"]));
        foreach (var key in keys) Assert.Equal(["in_use", "limit", "reserved"], Keys(detail["quota_set"]![key]));

        // Every resource the microversion shows can be set, as a number or a string of digits; force is accepted.
        var set = new JsonObject { ["force"] = true };
        foreach (var key in keys) set[key] = key == "ram" ? "4096" : 7;
        var (status, updated) = await admin.Send(HttpMethod.Put, "/v2.1/os-quota-sets/quota-body", new JsonObject { ["quota_set"] = set });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Sorted(keys), Keys(updated!["quota_set"]));
        Assert.Equal(4096, updated["quota_set"]!["ram"]!.GetValue<int>());
        Assert.All(keys.Where(k => k != "ram"), k => Assert.Equal(7, updated["quota_set"]![k]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.Accepted, (await admin.Send(HttpMethod.Delete, "/v2.1/os-quota-sets/quota-body")).Status);
    }

    [Fact]
    public async Task A_resource_the_microversion_dropped_is_refused_and_changes_nothing()
    {
        var admin = stack.Client("admin:admin", "2.36");
        var (status, body) = await admin.Send(HttpMethod.Put, "/v2.1/os-quota-sets/quota-dropped",
            new { quota_set = new { instances = 3, floating_ips = 5 } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'floating_ips' was unexpected", body!["badRequest"]!["message"]!.GetValue<string>());
        var (_, shown) = await admin.Get("/v2.1/os-quota-sets/quota-dropped");
        Assert.Equal(-1, shown!["quota_set"]!["instances"]!.GetValue<int>());
        // Below 2.36 the same body is Nova's, and the legacy limit is kept and shown.
        var (legacy, _) = await stack.Client("admin:admin").Send(HttpMethod.Put, "/v2.1/os-quota-sets/quota-dropped",
            new { quota_set = new { floating_ips = 5 } });
        Assert.Equal(HttpStatusCode.OK, legacy);
        Assert.Equal(5, (await stack.Client("admin:admin").Get("/v2.1/os-quota-sets/quota-dropped")).Body!["quota_set"]!["floating_ips"]!.GetValue<int>());
    }

    public static TheoryData<string, string[]> LimitKeys()
    {
        string[] always = ["maxServerGroupMembers", "maxServerGroups", "maxServerMeta", "maxTotalCores", "maxTotalInstances", "maxTotalKeypairs",
            "maxTotalRAMSize", "totalCoresUsed", "totalInstancesUsed", "totalRAMUsed", "totalServerGroupsUsed"];
        string[] network = ["maxSecurityGroupRules", "maxSecurityGroups", "maxTotalFloatingIps", "totalFloatingIpsUsed", "totalSecurityGroupsUsed"];
        string[] personality = ["maxPersonality", "maxPersonalitySize"];
        return new()
        {
            { "2.1", [.. always, .. network, .. personality, "maxImageMeta"] },
            { "2.36", [.. always, .. personality, "maxImageMeta"] },
            { "2.39", [.. always, .. personality] },
            { "2.57", always },
        };
    }

    [Theory]
    [MemberData(nameof(LimitKeys))]
    public async Task Limits_have_the_microversions_absolute_keys(string version, string[] keys)
    {
        var (status, body) = await stack.Client("u:limits-body", version).Get("/v2.1/limits");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(keys.Order(StringComparer.Ordinal), Keys(body!["limits"]!["absolute"]));
        Assert.Empty(body["limits"]!["rate"]!.AsArray());
    }
}
