using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nova.Api.Tests.Hosts;
using Nova.Api.Tests.Infrastructure;
using Nova.ComputeWorker.Instances;
using Nova.Domain.Flavors;
using Nova.Domain.Hosts;
using Nova.Domain.Servers;

namespace Nova.Api.Tests.Resizing;

/// <summary>
/// resize, confirmResize, revertResize and migrate on three fake hosts: after each step exactly the right claims are
/// held, the quota counts the right flavor, and the guests are where the server says they are.
/// </summary>
public sealed class ResizeTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(Hosts: 3, DiskGb: 100));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    private static readonly FlavorSpec Tiny = DefaultFlavors.All.Single(f => f.Id == "1");
    private static readonly FlavorSpec Small = DefaultFlavors.All.Single(f => f.Id == "2");

    /// <summary>Where the server is, as an admin sees it (members are not shown hosts).</summary>
    private async Task<string> HostOf(string id) =>
        await stack.Client("admin:admin").HostOf(id);

    private ComputeNode Node(string host) => stack.WorkerServices.GetServices<ComputeNode>().Single(n => n.Name == host);

    /// <summary>Every host's claim for the server (host name → resources), read from the hosts' streams.</summary>
    private async Task<Dictionary<string, HostResources>> ClaimsOf(string id)
    {
        var claims = new Dictionary<string, HostResources>();
        foreach (var host in new[] { "fake-1", "fake-2", "fake-3" })
            if ((await stack.ComputeHost(host)).Claims.TryGetValue(Guid.Parse(id), out var held)) claims[host] = held;
        return claims;
    }

    private static async Task<int> CoresInUse(HttpClient admin, string project) =>
        (await admin.Get($"/v2.1/os-quota-sets/{project}/detail")).Body!["quota_set"]!["cores"]!["in_use"]!.GetValue<int>();

    private static async Task<JsonNode> Resized(HttpClient client, string id) => await client.WaitForStatus(id, "VERIFY_RESIZE", seconds: 30);

    [Fact]
    public async Task A_resize_to_another_host_holds_both_claims_in_verify_resize_and_confirm_keeps_only_the_targets()
    {
        var client = stack.Client("ann:resize-confirm");
        var admin = stack.Client("admin:admin");
        var id = await client.ActiveServer("growing", flavor: "1");
        var source = await HostOf(id);

        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, new { resize = new { flavorRef = "2" } }));
        var resized = await Resized(client, id);
        var target = await HostOf(id);
        Assert.NotEqual(source, target); // allow_resize_to_same_host is false by default, as in Nova
        Assert.Equal("2", resized["flavor"]!["id"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, HostResources> { [source] = Tiny.Resources, [target] = Small.Resources }, await ClaimsOf(id));
        Assert.Equal(Math.Max(Tiny.Vcpus, Small.Vcpus), await CoresInUse(admin, "resize-confirm"));
        Assert.Equal(PowerState.Running, Node(target).Driver.GetPowerState(Guid.Parse(id)));
        Assert.Equal(PowerState.Shutdown, Node(source).Driver.GetPowerState(Guid.Parse(id)));

        Assert.Equal(HttpStatusCode.NoContent, await client.Act(id, new { confirmResize = (object?)null }));
        var confirmed = await client.WaitForStatus(id, "ACTIVE", seconds: 30);
        Assert.Equal(target, await HostOf(id));
        await Eventually.True(async () => (await ClaimsOf(id)).Count == 1, TimeSpan.FromSeconds(10), "source claim released");
        Assert.Equal(new Dictionary<string, HostResources> { [target] = Small.Resources }, await ClaimsOf(id));
        Assert.Null(Node(source).Driver.GetPowerState(Guid.Parse(id)));
        Assert.Equal(Small.Vcpus, await CoresInUse(admin, "resize-confirm"));

        var (_, actions) = await client.Get($"/v2.1/servers/{id}/os-instance-actions");
        var names = actions!["instanceActions"]!.AsArray().Select(a => a!["action"]!.GetValue<string>()).ToList();
        Assert.Contains("resize", names);
        Assert.Contains("confirmResize", names);
    }

    [Fact]
    public async Task A_revert_brings_the_server_back_on_its_source_with_its_old_flavor_and_only_the_source_claim()
    {
        var client = stack.Client("bob:resize-revert");
        var admin = stack.Client("admin:admin");
        var id = await client.ActiveServer("reverting", flavor: "1");
        var source = await HostOf(id);
        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, new JsonObject { ["resize"] = new JsonObject { ["flavorRef"] = "2", ["OS-DCF:diskConfig"] = "AUTO" } }));
        await Resized(client, id);
        var target = await HostOf(id);

        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, new { revertResize = (object?)null }));
        var reverted = await client.WaitForStatus(id, "ACTIVE", seconds: 30);
        Assert.Equal(source, await HostOf(id));
        Assert.Equal("1", reverted["flavor"]!["id"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, HostResources> { [source] = Tiny.Resources }, await ClaimsOf(id));
        Assert.Null(Node(target).Driver.GetPowerState(Guid.Parse(id)));
        Assert.Equal(PowerState.Running, Node(source).Driver.GetPowerState(Guid.Parse(id)));
        Assert.Equal(Tiny.Vcpus, await CoresInUse(admin, "resize-revert"));
    }

    [Fact]
    public async Task An_admin_migrates_to_a_named_host_at_2_56_a_member_may_not_migrate()
    {
        var member = stack.Client("cy:migrate");
        var admin = stack.Client("admin:admin", "2.56");
        var id = await member.ActiveServer("moving", flavor: "1");
        var source = await HostOf(id);
        Assert.Equal(HttpStatusCode.Forbidden, await member.Act(id, new { migrate = (object?)null }));

        var target = new[] { "fake-1", "fake-2", "fake-3" }.First(h => h != source);
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new { migrate = new { host = target } }));
        var migrated = await Resized(admin, id);
        Assert.Equal(target, await HostOf(id));
        Assert.Equal(Tiny.Name, migrated["flavor"]!["original_name"]!.GetValue<string>()); // 2.47+: the flavor embedded
        Assert.Equal(HttpStatusCode.NoContent, await admin.Act(id, new { confirmResize = (object?)null }));
        await admin.WaitForStatus(id, "ACTIVE", seconds: 30);
        await Eventually.True(async () => (await ClaimsOf(id)).Keys.SequenceEqual([target]), TimeSpan.FromSeconds(10), "only the target's claim");

        var (_, actions) = await admin.Get($"/v2.1/servers/{id}/os-instance-actions");
        Assert.Contains("migrate", actions!["instanceActions"]!.AsArray().Select(a => a!["action"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Bad_resize_and_migrate_requests_are_refused_and_change_nothing()
    {
        var client = stack.Client("dee:resize-bad");
        var admin = stack.Client("admin:admin", "2.56");
        var id = await client.ActiveServer("steady", flavor: "2");
        var source = await HostOf(id);
        var events = await stack.EventCount();

        Assert.Equal(HttpStatusCode.BadRequest, await client.Act(id, new { resize = new { flavorRef = "2" } })); // the same flavor
        Assert.Equal(HttpStatusCode.BadRequest, await client.Act(id, new { resize = new { flavorRef = "1" } })); // a smaller disk
        Assert.Equal(HttpStatusCode.BadRequest, await client.Act(id, new { resize = new { flavorRef = "no-such-flavor" } }));
        Assert.Equal(HttpStatusCode.BadRequest, await client.Act(id, new { resize = new { } }));
        Assert.Equal(HttpStatusCode.BadRequest, await client.Act(id, new { resize = new { flavorRef = "3", extra = 1 } }));
        Assert.Equal(HttpStatusCode.Conflict, await client.Act(id, new { confirmResize = (object?)null }));
        Assert.Equal(HttpStatusCode.Conflict, await client.Act(id, new { revertResize = (object?)null }));
        Assert.Equal(HttpStatusCode.BadRequest, await admin.Act(id, new { migrate = new { host = source } }));
        Assert.Equal(HttpStatusCode.BadRequest, await admin.Act(id, new { migrate = new { host = "no-such-host" } }));
        // Before 2.56 Nova checks no migrate body and ignores a host (tests/Api.Tests/Schemas); from 2.56 only host is known.
        Assert.Equal(HttpStatusCode.BadRequest, await admin.Act(id, new { migrate = new { host = "fake-2", force = true } }));

        Assert.Equal(events, await stack.EventCount());
        Assert.Equal(new Dictionary<string, HostResources> { [source] = Small.Resources }, await ClaimsOf(id));
    }

    [Fact]
    public async Task A_resize_no_other_host_can_take_leaves_the_server_active_on_its_source_with_its_claim_and_quota()
    {
        var client = stack.Client("eve:resize-novalid");
        var admin = stack.Client("admin:admin");
        var id = await client.ActiveServer("too-big", flavor: "1");
        var source = await HostOf(id);

        // m1.xlarge wants a 160 GB disk: more than any host has.
        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, new { resize = new { flavorRef = "5" } }));
        await Eventually.True(async () =>
            {
                var (_, actions) = await client.Get($"/v2.1/servers/{id}/os-instance-actions");
                return actions!["instanceActions"]!.AsArray().Any(a => a!["action"]!.GetValue<string>() == "resize" && a["message"]?.GetValue<string>() == "Error");
            }, TimeSpan.FromSeconds(30), "the resize ends in error");
        var server = await client.WaitForStatus(id, "ACTIVE");
        Assert.Equal(source, await HostOf(id));
        Assert.Equal("1", server["flavor"]!["id"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, HostResources> { [source] = Tiny.Resources }, await ClaimsOf(id));
        Assert.Equal(Tiny.Vcpus, await CoresInUse(admin, "resize-novalid"));
    }

    [Fact]
    public async Task A_stopped_server_stays_shut_off_through_its_resize_and_a_delete_in_verify_resize_releases_both_claims()
    {
        var client = stack.Client("fay:resize-stopped");
        var admin = stack.Client("admin:admin");
        var id = await client.ActiveServer("cold", flavor: "1");
        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, new JsonObject { ["os-stop"] = null }));
        await client.WaitForStatus(id, "SHUTOFF");

        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, new { resize = new { flavorRef = "2" } }));
        var resized = await Resized(client, id);
        Assert.Equal(PowerState.Shutdown, Node(await HostOf(id)).Driver.GetPowerState(Guid.Parse(id)));
        Assert.Equal(2, (await ClaimsOf(id)).Count);

        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await client.WaitUntilGone(id, seconds: 30);
        await Eventually.True(async () => (await ClaimsOf(id)).Count == 0, TimeSpan.FromSeconds(10), "both claims released");
        Assert.Equal(0, await CoresInUse(admin, "resize-stopped"));
    }
}
