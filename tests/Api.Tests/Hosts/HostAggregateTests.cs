using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Hosts;

/// <summary>/os-aggregates on a two-host stack of its own: an aggregate's zone is the zone its hosts are scheduled in.</summary>
public sealed class HostAggregateTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(Hosts: 2));
    private HttpClient admin = null!;

    public async Task InitializeAsync()
    {
        await stack.InitializeAsync();
        admin = stack.Client("admin:admin", "2.41");
    }

    public Task DisposeAsync() => stack.DisposeAsync();

    private async Task<JsonNode> Create(string name, string? zone = null)
    {
        var (status, body) = await admin.Send(HttpMethod.Post, "/v2.1/os-aggregates",
            new { aggregate = new { name, availability_zone = zone } });
        Assert.True(status == HttpStatusCode.OK, $"create {name}: {status} {body?.ToJsonString()}");
        return body!["aggregate"]!;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> Action(JsonNode aggregate, object action) =>
        await admin.Send(HttpMethod.Post, $"/v2.1/os-aggregates/{aggregate["id"]}/action", action);

    private async Task<IReadOnlyList<string>> Zones()
    {
        var (_, body) = await admin.Get("/v2.1/os-availability-zone");
        return body!["availabilityZoneInfo"]!.AsArray().Select(z => z!["zoneName"]!.GetValue<string>()).Order().ToList();
    }

    private async Task<string> CreateServerIn(HttpClient client, string name, string zone)
    {
        var (status, body) = await client.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name, flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, networks = "none", availability_zone = zone },
        });
        Assert.True(status == HttpStatusCode.Accepted, $"create {name}: {status} {body?.ToJsonString()}");
        return body!["server"]!["id"]!.GetValue<string>();
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("99999999999")]
    [InlineData("2147483000")]
    public async Task An_aggregate_id_no_aggregate_has_is_404_for_every_route_as_in_nova(string id)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Get($"/v2.1/os-aggregates/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Send(HttpMethod.Delete, $"/v2.1/os-aggregates/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Send(HttpMethod.Put, $"/v2.1/os-aggregates/{id}", new { aggregate = new { name = "x" } })).Status);
    }

    [Fact]
    public async Task An_aggregate_id_that_is_no_integer_is_400()
    {
        var (status, body) = await admin.Get("/v2.1/os-aggregates/abc");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Invalid input received: id must be an integer", body!["badRequest"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_zoned_aggregate_puts_its_host_in_that_zone_for_the_scheduler_and_the_zone_list_until_the_host_leaves()
    {
        var tenant = stack.Client("mia:zones");
        var rack = await Create("rack-1", "az1");
        Assert.Equal("az1", rack.Text("availability_zone"));
        Assert.Null(rack["hosts"]); // Nova's create answer has no hosts or metadata
        Assert.True(Guid.TryParse(rack.Text("uuid"), out _));

        var (added, body) = await Action(rack, new { add_host = new { host = "fake-2" } });
        Assert.Equal(HttpStatusCode.OK, added);
        Assert.Equal(["fake-2"], body!["aggregate"]!["hosts"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal("az1", body["aggregate"]!["metadata"]!["availability_zone"]!.GetValue<string>());
        Assert.Equal(["az1", "nova"], await Zones());

        for (var i = 0; i < 3; i++)
        {
            var id = await CreateServerIn(tenant, $"in-az1-{i}", "az1");
            var server = await tenant.WaitForStatus(id, "ACTIVE");
            Assert.Equal("az1", server.Text("OS-EXT-AZ:availability_zone"));
            Assert.Equal("fake-2", await admin.HostOf(id));
        }
        var elsewhere = await CreateServerIn(tenant, "in-nova", "nova");
        await tenant.WaitForStatus(elsewhere, "ACTIVE");
        Assert.Equal("fake-1", await admin.HostOf(elsewhere));

        // fake-2 runs servers placed in az1: its zone cannot move under them.
        var (refused, error) = await admin.Send(HttpMethod.Put, $"/v2.1/os-aggregates/{rack["id"]}",
            new { aggregate = new { availability_zone = "az2" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("contain instances", error!["badRequest"]!["message"]!.GetValue<string>());

        var (notEmpty, _) = await admin.Send(HttpMethod.Delete, $"/v2.1/os-aggregates/{rack["id"]}");
        Assert.Equal(HttpStatusCode.BadRequest, notEmpty);

        var (removed, _) = await Action(rack, new { remove_host = new { host = "fake-2" } });
        Assert.Equal(HttpStatusCode.OK, removed);
        Assert.Equal(["nova"], await Zones());
        var (deleted, _) = await admin.Send(HttpMethod.Delete, $"/v2.1/os-aggregates/{rack["id"]}");
        Assert.Equal(HttpStatusCode.OK, deleted);
        var (gone, _) = await admin.Get($"/v2.1/os-aggregates/{rack["id"]}");
        Assert.Equal(HttpStatusCode.NotFound, gone);
    }

    [Fact]
    public async Task Nova_rules_refuse_clashing_zones_duplicate_names_members_twice_and_unknown_hosts_and_change_nothing()
    {
        var east = await Create("east", "az-east");
        var west = await Create("west", "az-west");
        Assert.Equal(HttpStatusCode.OK, (await Action(east, new { add_host = new { host = "fake-1" } })).Status);

        var (clash, clashBody) = await Action(west, new { add_host = new { host = "fake-1" } });
        Assert.Equal(HttpStatusCode.BadRequest, clash);
        Assert.Contains("already in availability zone(s) ['az-east']", clashBody!["badRequest"]!["message"]!.GetValue<string>());

        var (twice, _) = await Action(east, new { add_host = new { host = "fake-1" } });
        Assert.Equal(HttpStatusCode.Conflict, twice);
        var (unknown, unknownBody) = await Action(east, new { add_host = new { host = "nowhere" } });
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal("Compute host nowhere could not be found.", unknownBody!["itemNotFound"]!["message"]!.GetValue<string>());
        var (notMember, _) = await Action(west, new { remove_host = new { host = "fake-2" } });
        Assert.Equal(HttpStatusCode.NotFound, notMember);

        var (duplicate, _) = await admin.Send(HttpMethod.Post, "/v2.1/os-aggregates", new { aggregate = new { name = "east" } });
        Assert.Equal(HttpStatusCode.Conflict, duplicate);
        foreach (var bad in new object[]
                 {
                     new { aggregate = new { name = "" } },
                     new { aggregate = new { name = " padded " } },
                     new { aggregate = new { name = "x", color = "red" } },
                     new { aggregate = new { availability_zone = "az" } },
                     new { name = "no-wrapper" },
                 })
        {
            var (status, error) = await admin.Send(HttpMethod.Post, "/v2.1/os-aggregates", bad);
            Assert.True(status == HttpStatusCode.BadRequest, $"{bad}: {status}");
            Assert.NotNull(error!["badRequest"]!["message"]);
        }
        var (unknownAction, _) = await Action(east, new { rename = new { name = "x" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknownAction);

        var (_, list) = await admin.Get("/v2.1/os-aggregates");
        var aggregates = list!["aggregates"]!.AsArray();
        Assert.Equal(["east", "west"], aggregates.Select(a => a!.Text("name")).Order());
        Assert.Equal(["fake-1"], aggregates.Single(a => a!.Text("name") == "east")!["hosts"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Empty(aggregates.Single(a => a!.Text("name") == "west")!["hosts"]!.AsArray());
        Assert.Equal(["az-east", "nova"], await Zones());
    }

    [Fact]
    public async Task Metadata_is_merged_a_null_removes_a_key_and_the_zone_key_moves_the_hosts()
    {
        var ssd = await Create("ssd");
        Assert.Equal(HttpStatusCode.OK, (await Action(ssd, new { add_host = new { host = "fake-1" } })).Status);

        var (_, first) = await Action(ssd, new { set_metadata = new { metadata = new Dictionary<string, string?> { ["disk"] = "ssd", ["tier"] = "gold" } } });
        var (status, second) = await Action(ssd, new { set_metadata = new { metadata = new Dictionary<string, string?> { ["tier"] = null, ["availability_zone"] = "fast" } } });
        Assert.Equal(HttpStatusCode.OK, status);

        var metadata = second!["aggregate"]!["metadata"]!.AsObject();
        Assert.Equal(new Dictionary<string, string> { ["disk"] = "ssd", ["availability_zone"] = "fast" },
            metadata.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()));
        Assert.Equal("fast", second["aggregate"]!.Text("availability_zone"));
        Assert.Equal(["fast", "nova"], await Zones());
    }

    [Fact]
    public async Task Only_admins_manage_aggregates_and_a_deleted_service_leaves_its_aggregates()
    {
        var tenant = stack.Client("mia:zones");
        var (listed, forbidden) = await tenant.Get("/v2.1/os-aggregates");
        Assert.Equal(HttpStatusCode.Forbidden, listed);
        Assert.Contains("os_compute_api:os-aggregates:index", forbidden!["forbidden"]!["message"]!.GetValue<string>());
        var (created, _) = await tenant.Send(HttpMethod.Post, "/v2.1/os-aggregates", new { aggregate = new { name = "mine" } });
        Assert.Equal(HttpStatusCode.Forbidden, created);

        var rack = await Create("rack", "az9");
        Assert.Equal(HttpStatusCode.OK, (await Action(rack, new { add_host = new { host = "fake-2" } })).Status);
        await stack.StopWorker();
        var service = (await admin.Services("?host=fake-2&binary=nova-compute")).Single()!;
        var (deleted, body) = await stack.Client("admin:admin", "2.53").Send(HttpMethod.Delete, $"/v2.1/os-services/{service["id"]}");
        Assert.True(deleted == HttpStatusCode.NoContent, $"{deleted} {body?.ToJsonString()}");

        var (_, shown) = await admin.Get($"/v2.1/os-aggregates/{rack["id"]}");
        Assert.Empty(shown!["aggregate"]!["hosts"]!.AsArray());
    }
}
