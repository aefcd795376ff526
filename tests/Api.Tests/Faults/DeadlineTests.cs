using System.Net;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Nova.ComputeRpc;
using Nova.Api.Tests.Infrastructure;
using Nova.Store.Operations;

namespace Nova.Api.Tests.Faults;

/// <summary>
/// A host that never answers: each operation is sent again when its deadline passes and, after the last attempt,
/// ended by the control plane: nothing stays in a task state, and a delete gives back what the server held.
/// </summary>
public sealed class DeadlineTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(Settings: new Dictionary<string, string?>
    {
        ["Nova:Deadlines:SweepSeconds"] = "1",
        ["Nova:Deadlines:Attempts"] = "2",
        ["Nova:Deadlines:Operations:StopInstance"] = "1",
        ["Nova:Deadlines:Operations:BuildAndRunInstance"] = "1",
        ["Nova:Deadlines:Operations:TerminateInstance"] = "1",
    }));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task Stop_build_and_delete_a_silent_host_never_answers_end_without_it()
    {
        var client = stack.Client("lee:deadlines");
        var running = await client.CreateServer("running");
        await client.WaitForStatus(running, "ACTIVE");

        // The host's process is gone, but within its heartbeat window it still counts as up: work goes to its queue.
        await stack.StopWorker();
        Assert.Equal(HttpStatusCode.Accepted, await client.Act(running, new Dictionary<string, object?> { ["os-stop"] = null }));
        var building = await client.CreateServer("never-built");

        var stopped = await Eventually.Value(() => client.Server(running), s => s["OS-EXT-STS:task_state"] is null,
            TimeSpan.FromSeconds(30), "stop ended by its deadline");
        Assert.Equal("ACTIVE", stopped["status"]!.GetValue<string>());
        var actions = (await client.Get($"/v2.1/servers/{running}/os-instance-actions/")).Body!["instanceActions"]!.AsArray();
        Assert.Contains(actions, a => a!["action"]!.GetValue<string>() == "stop");

        var failed = await client.WaitForStatus(building, "ERROR", seconds: 30);
        Assert.Contains("got no answer from host fake-1 after 2 attempts", failed["fault"]!["message"]!.GetValue<string>());

        var (status, _) = await client.Send(HttpMethod.Delete, $"/v2.1/servers/{running}");
        Assert.Equal(HttpStatusCode.NoContent, status);
        await client.WaitUntilGone(running, seconds: 30);
        // The deleted server's claim is released; the failed build keeps its own until it is deleted.
        var host = await stack.ComputeHost("fake-1");
        Assert.False(host.Claims.ContainsKey(Guid.Parse(running)));
        Assert.True(host.Claims.ContainsKey(Guid.Parse(building)));

        await using var session = stack.Store.QuerySession();
        await Eventually.True(async () => !await session.Query<PendingOperation>().AnyAsync(p => p.Id == Guid.Parse(running)),
            TimeSpan.FromSeconds(10), "the deleted server's timer forgotten");
    }

    [Fact]
    public async Task A_build_sent_again_under_its_operation_id_does_not_restart_a_guest_the_user_stopped()
    {
        var client = stack.Client("kim:deadlines");
        var id = await client.CreateServer("once");
        await client.WaitForStatus(id, "ACTIVE");
        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, new Dictionary<string, object?> { ["os-stop"] = null }));
        await client.WaitForStatus(id, "SHUTOFF");

        // The build as the relay sent it: its operation id is the id of the event that asked for it.
        var server = Guid.Parse(id);
        Guid operation;
        await using (var query = stack.Store.QuerySession())
            operation = (await query.Events.FetchStreamAsync(server)).Single(e => e.Data is Domain.Servers.ServerScheduled).Id;
        var bus = stack.Services.GetRequiredService<IBus>();
        var queues = stack.Services.GetRequiredService<ComputeQueues>();
        var host = await bus.GetSendEndpoint(queues.HostAddress("fake-1"));
        var before = await stack.EventCount();
        await host.Send(new BuildAndRunInstance(server, new RequestContext("req-" + Guid.NewGuid(), "kim", "deadlines"), "once",
            Domain.Flavors.DefaultFlavors.All[0], ControlPlaneStack.DefaultImage, "auto"), c => c.MessageId = operation);

        // The host answers with the report it sent the first time; the conductor knows that report and records nothing.
        var node = stack.WorkerServices.GetServices<Nova.ComputeWorker.Instances.ComputeNode>().Single();
        await Task.Delay(1500);
        Assert.Equal(Domain.Servers.PowerState.Shutdown, node.Driver.GetPowerState(server));
        Assert.Equal(before, await stack.EventCount());
        Assert.Equal("SHUTOFF", (await client.Server(id))["status"]!.GetValue<string>());
    }
}
