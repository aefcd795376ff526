using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Nova.Api.Tests.Hosts;
using Nova.Api.Tests.Infrastructure;
using Nova.ComputeWorker.Instances;
using Nova.Domain.Flavors;
using Nova.Domain.Servers;

namespace Nova.Api.Tests.Resizing;

/// <summary>
/// A target that does not finish in time: the control plane rolls the resize back onto the source by itself, the
/// target's claim is released once, the late report of the target changes nothing, and the guest it left behind is
/// reaped by its host's reconciliation.
/// </summary>
public sealed class ResizeDeadlineTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(Hosts: 2, DelayMs: 3000, Settings: new Dictionary<string, string?>
    {
        ["Nova:Deadlines:Operations:FinishResizeInstance"] = "1",
        ["Nova:Deadlines:Attempts"] = "1",
        ["Nova:Deadlines:SweepSeconds"] = "1",
        ["Nova:Compute:ReconcileIntervalSeconds"] = "2",
        ["Nova:Reconcile:GraceSeconds"] = "0",
    }));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task A_target_that_misses_its_deadline_is_rolled_back_and_leaves_no_claim_and_no_guest()
    {
        var client = stack.Client("ida:resize-deadline");
        var admin = stack.Client("admin:admin");
        var id = await client.ActiveServer("slow-target", flavor: "1", seconds: 40);
        var source = await admin.HostOf(id);
        var target = source == "fake-1" ? "fake-2" : "fake-1";

        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, new { resize = new { flavorRef = "2" } }));
        await Eventually.True(async () => (await client.Server(id))["OS-EXT-STS:task_state"]?.GetValue<string>() == "resize_finish",
            TimeSpan.FromSeconds(40), "the target starts finishing");
        var server = await client.WaitForStatus(id, "ACTIVE", seconds: 40);

        Assert.Equal(source, await admin.HostOf(id));
        Assert.Equal("1", server["flavor"]!["id"]!.GetValue<string>());
        var tiny = DefaultFlavors.All.Single(f => f.Id == "1").Resources;
        Assert.Equal(tiny, (await stack.ComputeHost(source)).Claims[Guid.Parse(id)]);
        Assert.False((await stack.ComputeHost(target)).Claims.ContainsKey(Guid.Parse(id)));

        // The target finishes late: its guest is nobody's, and its host removes it.
        var targetDriver = stack.WorkerServices.GetServices<ComputeNode>().Single(n => n.Name == target).Driver;
        await Eventually.True(() => Task.FromResult(targetDriver.GetPowerState(Guid.Parse(id)) is null), TimeSpan.FromSeconds(40),
            "the late guest on the target reaped");
        var after = await client.Server(id);
        Assert.Equal("ACTIVE", after["status"]!.GetValue<string>());
        Assert.Equal("1", after["flavor"]!["id"]!.GetValue<string>());
        Assert.False((await stack.ComputeHost(target)).Claims.ContainsKey(Guid.Parse(id)));
        var sourceDriver = stack.WorkerServices.GetServices<ComputeNode>().Single(n => n.Name == source).Driver;
        Assert.Equal(PowerState.Running, sourceDriver.GetPowerState(Guid.Parse(id)));
    }
}
