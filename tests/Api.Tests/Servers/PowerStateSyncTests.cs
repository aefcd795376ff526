using Microsoft.Extensions.DependencyInjection;
using Nova.Api.Tests.Infrastructure;
using Nova.ComputeWorker.Instances;

namespace Nova.Api.Tests.Servers;

/// <summary>A guest that shuts down from inside is noticed by the host's power-state sync and recorded as an event.</summary>
public sealed class PowerStateSyncTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(PowerSyncIntervalSeconds: 1));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task A_guest_stopped_behind_the_control_planes_back_becomes_SHUTOFF_and_can_be_started_again()
    {
        var client = stack.Client("pat:sync");
        var id = await client.CreateServer("wanders-off");
        await client.WaitForStatus(id, "ACTIVE");

        // The hypervisor stops the guest without any request through the API.
        var node = stack.WorkerServices.GetServices<ComputeNode>().Single();
        await node.Driver.PowerOff(Guid.Parse(id), CancellationToken.None);

        var stopped = await client.WaitForStatus(id, "SHUTOFF", seconds: 15);
        Assert.Equal(4, stopped["OS-EXT-STS:power_state"]!.GetValue<int>());
        Assert.Equal("stopped", stopped["OS-EXT-STS:vm_state"]!.GetValue<string>());

        Assert.Equal(System.Net.HttpStatusCode.Accepted, await client.Act(id, new Dictionary<string, object?> { ["os-start"] = null }));
        var running = await client.WaitForStatus(id, "ACTIVE");
        Assert.Equal(1, running["OS-EXT-STS:power_state"]!.GetValue<int>());
    }
}
