using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;
using Nova.Commands.Hosts;
using Nova.Domain.Hosts;

namespace Nova.Api.Tests.Hosts;

/// <summary>/os-hypervisors on the shared stack: fake-1's inventory, claims and servers as an operator sees them.</summary>
[Collection(StackCollection.Name)]
public sealed class HypervisorTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task The_list_names_each_host_with_its_state_and_status_and_an_integer_id_before_2_53()
    {
        var hypervisor = Assert.Single(await stack.Client("admin:admin").Hypervisors(""))!;
        Assert.Equal(ServiceIds.For("fake-1"), hypervisor["id"]!.GetValue<int>());
        Assert.Equal("fake-1", hypervisor.Text("hypervisor_hostname"));
        Assert.Equal("up", hypervisor.Text("state"));
        Assert.Equal("enabled", hypervisor.Text("status"));
        Assert.Equal(["hypervisor_hostname", "id", "state", "status"], hypervisor.AsObject().Select(p => p.Key).Order().ToArray());
    }

    [Fact]
    public async Task The_detail_reports_inventory_claims_and_what_is_free_to_claim()
    {
        var admin = stack.Client("admin:admin");
        // Other tests' servers come and go; compare with the host stream once the two agree on the claims.
        var (detail, host) = await Eventually.Value(async () =>
            {
                var shown = Assert.Single(await admin.Hypervisors())!;
                return (shown, host: await stack.ComputeHost("fake-1"));
            },
            pair => pair.shown["running_vms"]!.GetValue<int>() == pair.host.Claims.Count
                    && pair.shown["memory_mb_used"]!.GetValue<int>() == pair.host.Used.MemoryMb,
            TimeSpan.FromSeconds(20), "a quiet moment on fake-1");

        Assert.Equal(64, detail["vcpus"]!.GetValue<int>());
        Assert.Equal(131072, detail["memory_mb"]!.GetValue<int>());
        Assert.Equal(4096, detail["local_gb"]!.GetValue<int>());
        Assert.Equal(host.Used.Vcpus, detail["vcpus_used"]!.GetValue<int>());
        Assert.Equal(host.Used.DiskGb, detail["local_gb_used"]!.GetValue<int>());
        Assert.Equal(host.Capacity.MemoryMb - host.Used.MemoryMb, detail["free_ram_mb"]!.GetValue<int>());
        Assert.Equal(host.Capacity.DiskGb - host.Used.DiskGb, detail["free_disk_gb"]!.GetValue<int>());
        Assert.Equal("fake", detail.Text("hypervisor_type"));
        Assert.Equal(1000, detail["hypervisor_version"]!.GetValue<int>());
        Assert.Equal("127.0.0.1", detail.Text("host_ip"));
        Assert.Equal(0, detail["current_workload"]!.GetValue<int>());
        Assert.Equal(ServiceIds.For("fake-1"), detail["service"]!["id"]!.GetValue<int>());
        Assert.Equal("fake-1", detail["service"]!.Text("host"));
        Assert.Null(detail["service"]!["disabled_reason"]);
        Assert.Equal("{}", detail.Text("cpu_info")); // a JSON string before 2.28

        var at228 = Assert.Single(await stack.Client("admin:admin", "2.28").Hypervisors())!;
        Assert.IsType<JsonObject>(at228["cpu_info"]);
    }

    [Fact]
    public async Task Show_takes_the_integer_id_before_2_53_and_the_uuid_from_it()
    {
        var old = stack.Client("admin:admin");
        var (status, body) = await old.Get($"/v2.1/os-hypervisors/{ServiceIds.For("fake-1")}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("fake-1", body!["hypervisor"]!.Text("hypervisor_hostname"));
        Assert.Equal(HttpStatusCode.NotFound, (await old.Get("/v2.1/os-hypervisors/999")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await old.Get($"/v2.1/os-hypervisors/{ComputeHostId.From("fake-1")}")).Status);

        var current = stack.Client("admin:admin", "2.53");
        (status, body) = await current.Get($"/v2.1/os-hypervisors/{ComputeHostId.From("fake-1")}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(ComputeHostId.From("fake-1"), Guid.Parse(body!["hypervisor"]!.Text("id")));
        Assert.Equal(ComputeHostId.From("fake-1"), Guid.Parse(body["hypervisor"]!["service"]!.Text("id")));
        var (bad, error) = await current.Get("/v2.1/os-hypervisors/1");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("Invalid uuid 1", error!["badRequest"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await current.Get($"/v2.1/os-hypervisors/{Guid.NewGuid()}")).Status);

        // Neither the fake driver nor a host report carries an uptime: Nova's 501, which the CLI tolerates.
        Assert.Equal(HttpStatusCode.NotImplemented, (await old.Get($"/v2.1/os-hypervisors/{ServiceIds.For("fake-1")}/uptime")).Status);
    }

    [Fact]
    public async Task Statistics_are_the_sums_of_the_details()
    {
        var admin = stack.Client("admin:admin");
        // A server of our own, so every used and free sum is something other than the bare capacity.
        var tenant = stack.Client("hana:stats");
        var id = await tenant.CreateServer("counted", flavor: "2");
        await tenant.WaitForStatus(id, "ACTIVE");
        string[] fields = ["vcpus", "memory_mb", "local_gb", "vcpus_used", "memory_mb_used", "local_gb_used", "free_ram_mb", "free_disk_gb", "running_vms", "disk_available_least"];
        JsonNode? statistics = null;
        JsonArray? details = null;
        // Servers of other tests may still be going; the two reads must agree once nothing moves in between.
        await Eventually.True(async () =>
        {
            details = await admin.Hypervisors();
            var (status, body) = await admin.Get("/v2.1/os-hypervisors/statistics");
            Assert.Equal(HttpStatusCode.OK, status);
            statistics = body!["hypervisor_statistics"]!;
            return fields.All(f => statistics[f]!.GetValue<long>() == details.Sum(d => d![f]!.GetValue<long>()));
        }, TimeSpan.FromSeconds(20), "statistics equal to the sums of the details");

        Assert.Equal(details!.Count, statistics!["count"]!.GetValue<int>());
        Assert.Equal(64, statistics["vcpus"]!.GetValue<int>());
        Assert.Equal(0, statistics["current_workload"]!.GetValue<int>());
        Assert.True(statistics["running_vms"]!.GetValue<int>() >= 1);
        Assert.True(statistics["local_gb_used"]!.GetValue<int>() >= 20); // m1.small's root disk
        Assert.True(statistics["free_disk_gb"]!.GetValue<long>() < 4096);

        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await tenant.WaitUntilGone(id);
    }

    [Fact]
    public async Task A_server_built_on_the_host_is_listed_among_its_servers()
    {
        var client = stack.Client("hana:hyp");
        var id = await client.CreateServer("on-fake-1");
        await client.WaitForStatus(id, "ACTIVE");

        var admin = stack.Client("admin:admin");
        var hypervisors = await admin.Hypervisors("/fake-1/servers");
        var servers = Assert.Single(hypervisors)!["servers"]!.AsArray();
        var listed = Assert.Single(servers, s => s!.Text("uuid") == id)!;
        Assert.Equal("on-fake-1", listed.Text("name"));

        var current = stack.Client("admin:admin", "2.53");
        var withServers = Assert.Single(await current.Hypervisors("?with_servers=true"))!;
        Assert.Contains(withServers["servers"]!.AsArray(), s => s!.Text("uuid") == id);
        Assert.False(Assert.Single(await current.Hypervisors(""))!.AsObject().ContainsKey("servers"));
        Assert.Equal(HttpStatusCode.NotFound, (await current.Get("/v2.1/os-hypervisors/fake-1/servers")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await current.Get("/v2.1/os-hypervisors?with_servers=perhaps")).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await client.WaitUntilGone(id);
        await Eventually.True(async () => (await admin.Hypervisors("/fake-1/servers"))[0]!["servers"] is not JsonArray list
                                          || list.All(s => s!.Text("uuid") != id),
            TimeSpan.FromSeconds(10), "deleted server gone from the host's servers");
    }

    [Fact]
    public async Task A_hostname_pattern_matches_substrings_and_a_pattern_that_matches_nothing_is_404()
    {
        var admin = stack.Client("admin:admin");
        Assert.Equal("fake-1", Assert.Single(await admin.Hypervisors("/ake/search"))!.Text("hypervisor_hostname"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Get("/v2.1/os-hypervisors/nowhere/search")).Status);

        var current = stack.Client("admin:admin", "2.53");
        Assert.Equal("fake-1", Assert.Single(await current.Hypervisors("?hypervisor_hostname_pattern=FAKE"))!.Text("hypervisor_hostname"));
        var (status, error) = await current.Get("/v2.1/os-hypervisors?hypervisor_hostname_pattern=nowhere");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("No hypervisor matching 'nowhere' could be found.", error!["itemNotFound"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await current.Get("/v2.1/os-hypervisors?hypervisor_hostname_pattern=fake&limit=1")).Status);
    }

    [Fact]
    public async Task The_detailed_zone_list_shows_each_host_and_service_and_the_internal_zone()
    {
        var (status, body) = await stack.Client("admin:admin").Get("/v2.1/os-availability-zone/detail");
        Assert.Equal(HttpStatusCode.OK, status);
        var zones = body!["availabilityZoneInfo"]!.AsArray();
        var nova = Assert.Single(zones, z => z!.Text("zoneName") == "nova")!;
        Assert.True(nova["zoneState"]!["available"]!.GetValue<bool>());
        var compute = nova["hosts"]!["fake-1"]!["nova-compute"]!;
        Assert.True(compute["available"]!.GetValue<bool>());
        Assert.True(compute["active"]!.GetValue<bool>());
        Assert.NotNull(compute["updated_at"]);

        var internalZone = Assert.Single(zones, z => z!.Text("zoneName") == "internal")!;
        var services = internalZone["hosts"]![Environment.MachineName]!.AsObject();
        Assert.Equal(["nova-conductor", "nova-scheduler"], services.Select(s => s.Key).Order().ToArray());
    }
}
