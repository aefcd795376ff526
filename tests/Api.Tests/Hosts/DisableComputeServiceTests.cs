using System.Net;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Hosts;

/// <summary>Disabling and enabling hosts on a two-host stack of its own: the scheduler honours the switch.</summary>
public sealed class DisableComputeServiceTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(Hosts: 2));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task A_disabled_host_gets_no_builds_while_another_is_enabled_none_when_all_are_and_builds_again_once_enabled()
    {
        var admin = stack.Client("admin:admin", "2.53");
        var tenant = stack.Client("lena:switches");

        var disabled = await admin.UpdateService("fake-1", new { status = "disabled", disabled_reason = "maintenance" });
        Assert.Equal("disabled", disabled.Text("status"));
        Assert.Equal("maintenance", disabled.Text("disabled_reason"));
        Assert.Equal("fake-1", disabled.Text("host"));
        Assert.Equal("nova-compute", disabled.Text("binary"));
        Assert.False(disabled["forced_down"]!.GetValue<bool>());

        var listed = await admin.ComputeService("fake-1");
        Assert.Equal("disabled", listed.Text("status"));
        Assert.Equal("maintenance", listed.Text("disabled_reason"));
        Assert.Equal("up", listed.Text("state"));
        Assert.Equal("enabled", (await admin.ComputeService("fake-2")).Text("status"));
        var hypervisor = Assert.Single(await admin.Hypervisors(), h => h!.Text("hypervisor_hostname") == "fake-1")!;
        Assert.Equal("disabled", hypervisor.Text("status"));
        Assert.Equal("maintenance", hypervisor["service"]!.Text("disabled_reason"));
        var (_, statistics) = await admin.Get("/v2.1/os-hypervisors/statistics");
        Assert.Equal(1, statistics!["hypervisor_statistics"]!["count"]!.GetValue<int>()); // Nova leaves disabled hosts out

        // fake-2 is still enabled: every build lands there.
        for (var i = 0; i < 3; i++)
        {
            var id = await tenant.CreateServer($"elsewhere-{i}");
            await tenant.WaitForStatus(id, "ACTIVE");
            Assert.Equal("fake-2", await admin.HostOf(id));
        }

        // The pre-2.53 form, as older clients send it.
        var legacy = stack.Client("admin:admin");
        var (status, body) = await legacy.Send(HttpMethod.Put, "/v2.1/os-services/disable-log-reason",
            new { host = "fake-2", binary = "nova-compute", disabled_reason = "draining" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"service":{"host":"fake-2","binary":"nova-compute","status":"disabled","disabled_reason":"draining"}}""", body!.ToJsonString());

        var refused = await tenant.CreateServer("no-host-enabled");
        var error = await tenant.WaitForStatus(refused, "ERROR");
        Assert.Equal("No valid host was found.", error["fault"]!["message"]!.GetValue<string>());

        var (_, zones) = await tenant.Get("/v2.1/os-availability-zone");
        var nova = Assert.Single(zones!["availabilityZoneInfo"]!.AsArray())!;
        Assert.False(nova["zoneState"]!["available"]!.GetValue<bool>());

        (status, body) = await legacy.Send(HttpMethod.Put, "/v2.1/os-services/enable", new { host = "fake-1", binary = "nova-compute" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"service":{"host":"fake-1","binary":"nova-compute","status":"enabled"}}""", body!.ToJsonString());
        var enabled = await admin.ComputeService("fake-1");
        Assert.Equal("enabled", enabled.Text("status"));
        Assert.Null(enabled["disabled_reason"]);

        var back = await tenant.CreateServer("fake-1-again");
        await tenant.WaitForStatus(back, "ACTIVE");
        Assert.Equal("fake-1", await admin.HostOf(back));
        Assert.Equal("disabled", (await admin.ComputeService("fake-2")).Text("status"));
    }

    [Fact]
    public async Task Disabling_again_keeps_or_replaces_the_reason_and_changes_nothing_else()
    {
        var admin = stack.Client("admin:admin", "2.53");
        await admin.UpdateService("fake-1", new { status = "disabled", disabled_reason = "first" });
        var versionBefore = await stack.EventCount();

        // Nova's plain disable leaves the earlier reason in place, and appends nothing here.
        var (status, _) = await stack.Client("admin:admin").Send(HttpMethod.Put, "/v2.1/os-services/disable",
            new { host = "fake-1", binary = "nova-compute" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("first", (await admin.ComputeService("fake-1")).Text("disabled_reason"));
        Assert.Equal(versionBefore, await stack.EventCount());

        var replaced = await admin.UpdateService("fake-1", new { status = "disabled", disabled_reason = "second" });
        Assert.Equal("second", replaced.Text("disabled_reason"));
        var host = await stack.ComputeHost("fake-1");
        Assert.False(host.Enabled);
        Assert.Equal("second", host.DisabledReason);
    }
}
