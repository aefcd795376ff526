using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Scheduling;

/// <summary>Server groups on three hosts: hard policies hold even for simultaneous boots.</summary>
public sealed class ServerGroupTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(Hosts: 3));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    private async Task<string> Group(HttpClient client, string name, string policy)
    {
        var (status, body) = await client.Send(HttpMethod.Post, "/v2.1/os-server-groups",
            new { server_group = new { name, policy } });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(policy, body!["server_group"]!["policy"]!.GetValue<string>());
        return body["server_group"]!["id"]!.GetValue<string>();
    }

    private static async Task<(HttpStatusCode Status, string? Id)> Boot(HttpClient client, string name, string group, int count = 1)
    {
        var (status, body) = await client.Send(HttpMethod.Post, "/v2.1/servers", new JsonObject
        {
            ["server"] = new JsonObject
            {
                ["name"] = name, ["flavorRef"] = "1", ["imageRef"] = ControlPlaneStack.DefaultImage, ["networks"] = "none",
                ["min_count"] = count, ["max_count"] = count,
            },
            ["os:scheduler_hints"] = new JsonObject { ["group"] = group },
        }.ToJsonString());
        return (status, body?["server"]?["id"]?.GetValue<string>());
    }

    private async Task<IReadOnlyList<JsonNode>> Settled(HttpClient client, string prefix, int count) =>
        await Eventually.Value(async () => (await client.Get("/v2.1/servers/detail")).Body!["servers"]!.AsArray()
                .Where(s => s!["name"]!.GetValue<string>().StartsWith(prefix, StringComparison.Ordinal)).Select(s => s!).ToList(),
            list => list.Count == count && list.All(s => s["OS-EXT-STS:task_state"] is null && s["status"]!.GetValue<string>() is "ACTIVE" or "ERROR"),
            TimeSpan.FromSeconds(30), $"{count} servers named {prefix}* settled");

    [Fact]
    public async Task Anti_affinity_spreads_simultaneous_boots_over_distinct_hosts_and_refuses_a_fourth()
    {
        var client = stack.Client("admin:spread", "2.64");
        var group = await Group(client, "spread", "anti-affinity");
        var boots = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => Boot(client, $"apart-{i}", group)));
        Assert.All(boots, b => Assert.Equal(HttpStatusCode.Accepted, b.Status));

        var servers = await Settled(client, "apart-", 3);
        Assert.All(servers, s => Assert.Equal("ACTIVE", s["status"]!.GetValue<string>()));
        Assert.Equal(3, servers.Select(s => s["OS-EXT-SRV-ATTR:host"]!.GetValue<string>()).Distinct().Count());

        var (_, fourth) = await Boot(client, "apart-4", group);
        var refused = await client.WaitForStatus(fourth!, "ERROR");
        Assert.Equal("No valid host was found.", refused["fault"]!["message"]!.GetValue<string>());

        var (_, shown) = await client.Get($"/v2.1/os-server-groups/{group}");
        Assert.Equal(4, shown!["server_group"]!["members"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"/v2.1/servers/{fourth}")).Status);
        await Eventually.True(async () => (await client.Get($"/v2.1/os-server-groups/{group}")).Body!["server_group"]!["members"]!.AsArray().Count == 3,
            TimeSpan.FromSeconds(10), "a deleted server leaves its group");
    }

    [Fact]
    public async Task Affinity_keeps_every_member_on_one_host()
    {
        var client = stack.Client("admin:together", "2.64");
        var group = await Group(client, "together", "affinity");
        var (status, _) = await Boot(client, "near", group, count: 4);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var servers = await Settled(client, "near-", 4);
        Assert.All(servers, s => Assert.Equal("ACTIVE", s["status"]!.GetValue<string>()));
        Assert.Single(servers.Select(s => s["OS-EXT-SRV-ATTR:host"]!.GetValue<string>()).Distinct());
    }

    [Fact]
    public async Task An_anti_affinity_multi_create_larger_than_the_hosts_places_none()
    {
        var client = stack.Client("admin:toomany", "2.64");
        var group = await Group(client, "toomany", "anti-affinity");
        var (status, _) = await Boot(client, "crowded", group, count: 4);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var servers = await Settled(client, "crowded-", 4);
        Assert.All(servers, s => Assert.Equal("ERROR", s["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Groups_follow_Novas_shapes_validation_and_project_scope()
    {
        var owner = stack.Client("ann:groups");
        var (old, body) = await owner.Send(HttpMethod.Post, "/v2.1/os-server-groups",
            new { server_group = new { name = "legacy", policies = new[] { "affinity" } } });
        Assert.Equal(HttpStatusCode.OK, old);
        Assert.Equal("affinity", body!["server_group"]!["policies"]![0]!.GetValue<string>());
        var id = body["server_group"]!["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.BadRequest, (await owner.Send(HttpMethod.Post, "/v2.1/os-server-groups",
            new { server_group = new { name = "bad", policies = new[] { "sideways" } } })).Status);
        var stranger = stack.Client("bo:other");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Get($"/v2.1/os-server-groups/{id}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Boot(stranger, "intruder", id)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Send(HttpMethod.Delete, $"/v2.1/os-server-groups/{id}")).Status);
        Assert.Empty((await owner.Get("/v2.1/os-server-groups")).Body!["server_groups"]!.AsArray());
    }
}
