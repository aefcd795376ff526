using System.Net;
using Nova.Api.Tests.Infrastructure;
using Nova.Store.Hosts;

namespace Nova.Api.Tests.Hosts;

/// <summary>Forcing a host down on a two-host stack of its own: down at once, no builds, up again when lifted.</summary>
public sealed class ForceDownComputeServiceTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(Hosts: 2));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task A_forced_down_host_is_down_though_it_still_reports_and_gets_no_builds_until_lifted()
    {
        var admin = stack.Client("admin:admin", "2.53");
        var tenant = stack.Client("omar:fenced");

        var forced = await admin.UpdateService("fake-1", new { forced_down = true });
        Assert.True(forced["forced_down"]!.GetValue<bool>());
        Assert.Equal("down", forced.Text("state"));
        Assert.Equal("enabled", forced.Text("status"));
        Assert.Equal("down", Assert.Single(await admin.Hypervisors(""), h => h!.Text("hypervisor_hostname") == "fake-1")!.Text("state"));
        Assert.Equal("up", (await admin.ComputeService("fake-2")).Text("state"));
        // The heartbeat document the scheduler and local delete read carries the switch too.
        await using (var session = stack.Store.QuerySession())
            Assert.True((await session.LoadAsync<ComputeService>("fake-1"))!.ForcedDown);

        for (var i = 0; i < 3; i++)
        {
            var id = await tenant.CreateServer($"not-on-fenced-{i}");
            await tenant.WaitForStatus(id, "ACTIVE");
            Assert.Equal("fake-2", await admin.HostOf(id));
        }

        // The pre-2.53 form (2.11 to 2.52), as the openstack CLI sends it.
        var legacy = stack.Client("admin:admin", "2.11");
        var (status, body) = await legacy.Send(HttpMethod.Put, "/v2.1/os-services/force-down",
            new { host = "fake-1", binary = "nova-compute", forced_down = false });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"service":{"host":"fake-1","binary":"nova-compute","forced_down":false}}""", body!.ToJsonString());
        var lifted = await admin.ComputeService("fake-1");
        Assert.Equal("up", lifted.Text("state"));
        Assert.False(lifted["forced_down"]!.GetValue<bool>());

        // Both up and enabled again: with fake-2 forced down, the next build must go to fake-1.
        await admin.UpdateService("fake-2", new { forced_down = "yes" });
        var back = await tenant.CreateServer("on-fake-1");
        await tenant.WaitForStatus(back, "ACTIVE");
        Assert.Equal("fake-1", await admin.HostOf(back));
    }
}
