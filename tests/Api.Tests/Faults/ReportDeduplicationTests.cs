using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Nova.Api.Tests.Infrastructure;
using Nova.ComputeRpc;

namespace Nova.Api.Tests.Faults;

/// <summary>
/// The conductor remembers the reports it recorded by message id: the same report delivered again later changes
/// nothing, even when the server's state would now let it decide something.
/// </summary>
public sealed class ReportDeduplicationTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions());

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task A_rebooted_report_delivered_again_during_the_next_reboot_does_not_end_it()
    {
        var client = stack.Client("ray:dedup");
        var id = await client.CreateServer("twice");
        await client.WaitForStatus(id, "ACTIVE");
        await stack.StopWorker(); // the reports below are the only answers

        var bus = stack.Services.GetRequiredService<IBus>();
        var conductor = await bus.GetSendEndpoint(stack.Services.GetRequiredService<ComputeQueues>().ConductorAddress);
        var report = new InstanceRebooted(Guid.Parse(id), new RequestContext("req-" + Guid.NewGuid(), "ray", "dedup"), "fake-1");
        var messageId = Guid.NewGuid();
        var reboot = new Dictionary<string, object?> { ["reboot"] = new { type = "SOFT" } };

        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, reboot));
        await conductor.Send(report, c => c.MessageId = messageId);
        await client.WaitForStatus(id, "ACTIVE");

        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, reboot));
        await conductor.Send(report, c => c.MessageId = messageId);
        await Task.Delay(1500);
        Assert.Equal("REBOOT", (await client.Server(id))["status"]!.GetValue<string>());

        // A new report (another id) is recorded as usual.
        await conductor.Send(report, c => c.MessageId = Guid.NewGuid());
        await client.WaitForStatus(id, "ACTIVE");
    }
}
