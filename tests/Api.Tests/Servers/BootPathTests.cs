using System.Net;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Servers;

/// <summary>POST /servers → event store → relay → RabbitMQ → scheduler → host queue → fake driver → conductor → read model.</summary>
[Collection(StackCollection.Name)]
public sealed class BootPathTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task A_created_server_is_readable_at_once_and_becomes_active_on_the_fake_host()
    {
        var client = stack.Client("alice:boot");
        var id = await client.CreateServer("boot-1");

        // Read-your-writes: the very next GET sees the server, building.
        var first = await client.Server(id);
        Assert.Equal("boot-1", first["name"]!.GetValue<string>());
        Assert.Contains(first["status"]!.GetValue<string>(), new[] { "BUILD", "ACTIVE" });

        var active = await client.WaitForStatus(id, "ACTIVE");
        Assert.Equal("active", active["OS-EXT-STS:vm_state"]!.GetValue<string>());
        Assert.Equal(1, active["OS-EXT-STS:power_state"]!.GetValue<int>());
        Assert.NotNull(active["OS-SRV-USG:launched_at"]);
        Assert.Equal("alice", active["user_id"]!.GetValue<string>());
        Assert.Equal("boot", active["tenant_id"]!.GetValue<string>());

        // The host holds a claim of exactly the flavor (m1.tiny: 1 vcpu, 512 MB, 1 GB).
        var host = await stack.ComputeHost("fake-1");
        Assert.Equal(new Domain.Hosts.HostResources(1, 512, 1), host.Claims[Guid.Parse(id)]);
    }

    [Fact]
    public async Task The_create_action_is_recorded_with_its_request_id_and_successful_events()
    {
        var client = stack.Client("alice:boot");
        var id = await client.CreateServer("boot-2");
        await client.WaitForStatus(id, "ACTIVE");

        var actions = await Eventually.Value(async () => (await client.Get($"/v2.1/servers/{id}/os-instance-actions")).Body!,
            b => b["instanceActions"]!.AsArray().Count == 1, TimeSpan.FromSeconds(10), "create action");
        var create = actions["instanceActions"]![0]!;
        Assert.Equal("create", create["action"]!.GetValue<string>());
        var requestId = create["request_id"]!.GetValue<string>();
        Assert.StartsWith("req-", requestId);

        var detail = await Eventually.Value(async () => (await client.Get($"/v2.1/servers/{id}/os-instance-actions/{requestId}")).Body!,
            b => b["instanceAction"]!["events"]!.AsArray().Count == 2 && b["instanceAction"]!["events"]!.AsArray().All(e => e!["result"] is not null),
            TimeSpan.FromSeconds(10), "create events finished");
        var events = detail["instanceAction"]!["events"]!.AsArray();
        Assert.Equal(["conductor_schedule_and_build_instances", "compute__do_build_and_run_instance"],
            events.Select(e => e!["event"]!.GetValue<string>()).ToArray());
        Assert.All(events, e => Assert.Equal("Success", e!["result"]!.GetValue<string>()));
        Assert.All(events, e => Assert.NotNull(e!["finish_time"]));
    }

    [Fact]
    public async Task Deleting_a_server_removes_it_and_frees_its_claim_on_the_host()
    {
        var client = stack.Client("alice:boot");
        var id = await client.CreateServer("boot-3", flavor: "2");
        await client.WaitForStatus(id, "ACTIVE");
        Assert.True((await stack.ComputeHost("fake-1")).Claims.ContainsKey(Guid.Parse(id)));

        var (status, _) = await client.Send(HttpMethod.Delete, $"/v2.1/servers/{id}");
        Assert.Equal(HttpStatusCode.NoContent, status);
        await client.WaitUntilGone(id);
        await Eventually.True(async () => !(await stack.ComputeHost("fake-1")).Claims.ContainsKey(Guid.Parse(id)),
            TimeSpan.FromSeconds(10), "claim released");

        var (list, body) = await client.Get("/v2.1/servers");
        Assert.Equal(HttpStatusCode.OK, list);
        Assert.DoesNotContain(body!["servers"]!.AsArray(), s => s!["id"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task A_server_deleted_during_its_build_ends_deleted_and_leaves_no_claim()
    {
        var client = stack.Client("alice:boot");
        var id = await client.CreateServer("boot-4");
        var (status, _) = await client.Send(HttpMethod.Delete, $"/v2.1/servers/{id}");
        Assert.Equal(HttpStatusCode.NoContent, status);
        await client.WaitUntilGone(id);
        await Eventually.True(async () => !(await stack.ComputeHost("fake-1")).Claims.ContainsKey(Guid.Parse(id)),
            TimeSpan.FromSeconds(10), "no claim left for a server deleted during build");
        // And it stays gone: a late build report cannot bring it back.
        await Task.Delay(500);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"/v2.1/servers/{id}")).Status);
    }

    [Fact]
    public async Task Multi_create_builds_every_server_of_the_request()
    {
        var client = stack.Client("alice:multi");
        var (status, body) = await client.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name = "many", flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, min_count = 5, max_count = 5 },
        });
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.NotNull(body!["server"]!["id"]);
        var servers = await Eventually.Value(async () => (await client.Get("/v2.1/servers/detail")).Body!["servers"]!.AsArray(),
            list => list.Count == 5 && list.All(s => s!["status"]!.GetValue<string>() == "ACTIVE"),
            TimeSpan.FromSeconds(20), "5 servers ACTIVE");
        Assert.Equal(["many-1", "many-2", "many-3", "many-4", "many-5"],
            servers.Select(s => s!["name"]!.GetValue<string>()).Order().ToArray());
    }
}

[Collection(StackCollection.Name)]
public sealed class RequestDeduplicationTests(ControlPlaneStack stack)
{
    private static HttpRequestMessage Create(string name, string header, string value) => new(HttpMethod.Post, "/v2.1/servers")
    {
        Content = System.Net.Http.Json.JsonContent.Create(new
        {
            server = new { name, flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, networks = "none" },
        }),
        Headers = { { header, value } },
    };

    [Fact]
    public async Task A_create_retried_with_the_same_idempotency_key_returns_the_same_server_and_creates_no_second_one()
    {
        var client = stack.Client("kim:retry", "2.37");
        var key = Guid.NewGuid().ToString();
        var ids = new List<string>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = Create("once", "Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            ids.Add(body["server"]!["id"]!.GetValue<string>());
        }
        Assert.Equal(ids[0], ids[1]);
        await client.WaitForStatus(ids[0], "ACTIVE");
        var (_, list) = await client.Get("/v2.1/servers");
        Assert.Single(list!["servers"]!.AsArray());
    }

    [Fact]
    public async Task Creates_sharing_one_global_request_id_are_separate_servers_and_each_answer_has_its_own_request_id()
    {
        var client = stack.Client("kim:global-id", "2.37");
        var global = $"req-{Guid.NewGuid()}";
        var ids = new List<string>();
        var requestIds = new List<string>();
        foreach (var name in new[] { "first", "second" })
        {
            using var request = Create(name, "X-OpenStack-Request-ID", global);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add(System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["server"]!["id"]!.GetValue<string>());
            requestIds.Add(response.Headers.GetValues("x-openstack-request-id").Single());
        }
        Assert.NotEqual(ids[0], ids[1]);
        Assert.DoesNotContain(global, requestIds);
        Assert.NotEqual(requestIds[0], requestIds[1]);
        foreach (var id in ids) await client.WaitForStatus(id, "ACTIVE");
        var (_, list) = await client.Get("/v2.1/servers");
        Assert.Equal(2, list!["servers"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public async Task A_malformed_idempotency_key_is_400_and_creates_nothing(string key)
    {
        var client = stack.Client("kim:bad-key", "2.37");
        using var request = Create("never", "Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (_, list) = await client.Get("/v2.1/servers");
        Assert.Empty(list!["servers"]!.AsArray());
    }
}
