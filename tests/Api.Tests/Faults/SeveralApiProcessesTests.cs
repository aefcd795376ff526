using Microsoft.Extensions.DependencyInjection;
using Nova.Api.Tests.Infrastructure;
using Nova.ComputeWorker.Instances;

namespace Nova.Api.Tests.Faults;

/// <summary>
/// Two API processes on one database: one runs the projections and the relay at a time, so no command goes to a host
/// twice; when it stops, the other takes over and servers keep being built.
/// </summary>
public sealed class SeveralApiProcessesTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions());

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task Servers_created_through_either_are_built_once_and_the_second_takes_over_when_the_first_stops()
    {
        var second = await stack.StartAnotherApi();
        var first = stack.Client("pat:pair");
        var other = stack.Client("pat:pair");
        other.BaseAddress = second;

        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await first.CreateServer($"first-{i}"));
            ids.Add(await other.CreateServer($"second-{i}"));
        }
        foreach (var id in ids) await other.WaitForStatus(id, "ACTIVE", seconds: 30);

        await stack.StopApi();
        var afterTakeover = await other.CreateServer("after-takeover");
        await other.WaitForStatus(afterTakeover, "ACTIVE", seconds: 60);

        // Every build, step and report went to the host exactly once: nothing was answered from its journal.
        var node = stack.WorkerServices.GetServices<ComputeNode>().Single();
        Assert.Equal(0, node.RepeatedOperations);
        Assert.Equal(9, node.Driver.ListInstances().Count);
    }
}
