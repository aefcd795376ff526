using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Nova.Api.Tests.Infrastructure;
using Nova.ComputeRpc;

namespace Nova.Api.Tests.Servers;

/// <summary>RabbitMQ delivers at least once: repeated host reports must change nothing.</summary>
[Collection(StackCollection.Name)]
public sealed class RedeliveryTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task Redelivered_host_reports_append_no_events_and_leave_the_server_as_it_was()
    {
        var client = stack.Client("judy:again");
        var id = await client.CreateServer("again");
        await client.WaitForStatus(id, "ACTIVE");
        var (status, _) = await client.Send(HttpMethod.Delete, $"/v2.1/servers/{id}");
        Assert.Equal(System.Net.HttpStatusCode.NoContent, status);
        await client.WaitUntilGone(id);
        await Task.Delay(300);
        var before = await stack.EventCount();

        var bus = stack.Services.GetRequiredService<IBus>();
        var queues = stack.Services.GetRequiredService<ComputeQueues>();
        var conductor = await bus.GetSendEndpoint(queues.ConductorAddress);
        var request = new RequestContext("req-" + Guid.NewGuid(), "judy", "again");
        var server = Guid.Parse(id);
        await conductor.Send(new InstanceBuilt(server, request, "fake-1", DateTimeOffset.UtcNow));
        await conductor.Send(new InstanceStopped(server, request, "fake-1"));
        await conductor.Send(new InstanceTerminated(server, request, "fake-1"));
        await conductor.Send(new InstanceBuildFailed(server, request, "fake-1", "late failure", null));

        // Give the conductor time to consume them all: a heartbeat-free window, then compare.
        await Task.Delay(1500);
        Assert.Equal(before, await stack.EventCount());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.Get($"/v2.1/servers/{id}")).Status);
        Assert.False((await stack.ComputeHost("fake-1")).Claims.ContainsKey(server));
    }
}
