using System.Net;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Servers;

/// <summary>A compute host that goes away loses no work: its durable queue keeps it until it is back.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions());

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task Builds_and_stops_sent_while_the_host_was_down_are_carried_out_when_it_returns()
    {
        var client = stack.Client("lee:restart");
        var running = await client.CreateServer("before");
        await client.WaitForStatus(running, "ACTIVE");

        await stack.StopWorker();
        var queued = await client.CreateServer("while-down");
        Assert.Equal(HttpStatusCode.Accepted, await client.Act(running, new Dictionary<string, object?> { ["os-stop"] = null }));
        await Task.Delay(500);
        Assert.Equal("BUILD", (await client.Server(queued))["status"]!.GetValue<string>());
        Assert.Equal("powering-off", (await client.Server(running))["OS-EXT-STS:task_state"]!.GetValue<string>());

        await stack.StartWorker();
        await client.WaitForStatus(queued, "ACTIVE");
        // The fake hypervisor's guests outlived the worker, as real ones do: the stop sent meanwhile is carried out.
        await client.WaitForStatus(running, "SHUTOFF");
    }
}
