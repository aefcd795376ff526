using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Fuzzing;

/// <summary>
/// What the storm aims at: a victim project's servers, group, private image and an admin's private flavor (the
/// attacker must never see them), the attacker's own server, and real ids of everything else a route can name.
/// </summary>
public sealed class FuzzTargets
{
    public const string AdminToken = "admin:admin", MemberToken = "vera:fuzz-victim", AttackerToken = "mallory:fuzz-attacker";

    public string Image { get; private set; } = ControlPlaneStack.DefaultImage;
    public string Group { get; private set; } = "";
    public string PrivateFlavor { get; } = "fz-private-" + Guid.NewGuid().ToString("N")[..6];
    public List<string> VictimIds { get; } = [];
    public List<string> AttackerIds { get; } = [];
    public List<string> AdminIds { get; } = [];
    /// <summary>Strings of the victim's resources no answer to the attacker may carry.</summary>
    public List<string> Secrets { get; } = [];

    public static async Task<FuzzTargets> Create(ControlPlaneStack stack)
    {
        var t = new FuzzTargets();
        var admin = stack.Client(AdminToken, "2.53");
        var member = stack.Client(MemberToken, "2.53");
        var attacker = stack.Client(AttackerToken, "2.53");
        var secret = "victim-secret-" + Guid.NewGuid().ToString("N")[..8];

        var flavor = await admin.Send(HttpMethod.Post, "/v2.1/flavors", new JsonObject
        {
            ["flavor"] = new JsonObject { ["id"] = t.PrivateFlavor, ["name"] = t.PrivateFlavor, ["ram"] = 64, ["vcpus"] = 1, ["disk"] = 1, ["os-flavor-access:is_public"] = false },
        });
        Assert.True(flavor.Status == HttpStatusCode.OK, $"private flavor: {flavor.Status} {flavor.Body?.ToJsonString()}");
        t.Secrets.Add(t.PrivateFlavor);
        t.AdminIds.Add(t.PrivateFlavor);

        for (var i = 0; i < 2; i++)
        {
            var id = await member.CreateServer($"{secret}-{i}");
            await member.WaitForStatus(id, "ACTIVE");
            t.VictimIds.Add(id);
            t.Secrets.Add(id);
        }
        t.Secrets.Add(secret);
        var actions = await member.Get($"/v2.1/servers/{t.VictimIds[0]}/os-instance-actions");
        t.VictimIds.Add(actions.Body!["instanceActions"]![0]!["request_id"]!.GetValue<string>());

        var group = await member.Send(HttpMethod.Post, "/v2.1/os-server-groups",
            new { server_group = new { name = secret + "-group", policies = new[] { "anti-affinity" } } });
        t.Group = group.Body!["server_group"]!["id"]!.GetValue<string>();
        t.VictimIds.Add(t.Group);
        t.Secrets.Add(t.Group);

        var image = await member.Send(HttpMethod.Post, "/image/v2/images",
            new { name = secret + "-image", disk_format = "raw", container_format = "bare", visibility = "private" });
        Assert.True(image.Status == HttpStatusCode.Created, $"private image: {image.Status} {image.Body?.ToJsonString()}");
        var imageId = image.Body!["id"]!.GetValue<string>();
        t.VictimIds.Add(imageId);
        t.Secrets.Add(imageId);

        var own = await attacker.CreateServer("attacker-own");
        await attacker.WaitForStatus(own, "ACTIVE");
        t.AttackerIds.Add(own);

        var aggregate = await admin.Send(HttpMethod.Post, "/v2.1/os-aggregates", new { aggregate = new { name = "fuzz-rack" } });
        t.AdminIds.Add(aggregate.Body!["aggregate"]!["id"]!.ToJsonString());
        var services = await admin.Get("/v2.1/os-services");
        foreach (var s in services.Body!["services"]!.AsArray()) t.AdminIds.Add(s!["id"]!.ToJsonString().Trim('"'));
        var hypervisors = await admin.Get("/v2.1/os-hypervisors");
        foreach (var h in hypervisors.Body!["hypervisors"]!.AsArray()) t.AdminIds.Add(h!["id"]!.ToJsonString().Trim('"'));
        t.AdminIds.AddRange(["1", "2", "fake-1", "fuzz-victim", "fuzz-attacker", "admin"]);
        return t;
    }

    /// <summary>Route parameter values: real ids (the caller's and others') and junk.</summary>
    public IReadOnlyList<string> ParameterPool(string token) =>
        [.. Junk, .. AttackerIds, .. AdminIds, .. token == AdminToken ? [] : VictimIds];

    private static readonly string[] Junk =
    [
        "00000000-0000-0000-0000-000000000000", "0", "-1", "99999999999999999999", "%00", "a%00b", "%ED%A0%80", "%FF%FE",
        "%C0%80", "..", "%2e%2e", "'", "%22", "null", "%20", "%F0%9F%98%80", new string('x', 3000), "1e999", "NaN",
        "%E2%80%AE", "*", "(", "%5C", Guid.NewGuid().ToString(), "req-00000000-0000-0000-0000-000000000000",
    ];
}
