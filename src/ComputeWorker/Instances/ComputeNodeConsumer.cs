using MassTransit;
using Microsoft.Extensions.Logging;
using Nova.ComputeWorker.Drivers;
using Nova.Domain.Compute;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Instances;

/// <summary>
/// Carries out the control plane's instance operations on one host and reports each result to
/// the conductor. Messages arrive at least once: every operation is safe to repeat.
/// </summary>
public sealed class ComputeNodeConsumer(ComputeNode node, ComputeQueues queues, ILogger log) :
    IConsumer<BuildAndRunInstance>, IConsumer<StopInstance>, IConsumer<StartInstance>,
    IConsumer<RebootInstance>, IConsumer<TerminateInstance>, IConsumer<GetConsoleOutput>
{
    public async Task Consume(ConsumeContext<BuildAndRunInstance> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        using var _ = await node.Lock(m.ServerId, ct);
        if (node.WasTerminated(m.ServerId)) return;
        try
        {
            foreach (var step in new[] { TaskState.Networking, TaskState.BlockDeviceMapping, TaskState.Spawning })
                await Report(context, new InstanceBuildStepStarted(m.ServerId, m.Request, node.Name, step));
            await node.Driver.Spawn(new InstanceSpec(m.ServerId, m.Name, m.Flavor, m.ImageId, m.Networks), ct);
            await Report(context, new InstanceBuilt(m.ServerId, m.Request, node.Name, DateTimeOffset.UtcNow));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Build of {ServerId} failed on {Host}", m.ServerId, node.Name);
            await node.Driver.Destroy(m.ServerId, ct);
            await Report(context, new InstanceBuildFailed(m.ServerId, m.Request, node.Name,
                e is HypervisorError ? e.Message : "Build of instance failed on the compute host.", e.GetType().Name + ": " + e.Message,
                Retryable: e is not HypervisorError { Retryable: false }));
        }
    }

    public Task Consume(ConsumeContext<StopInstance> context) => Act(context, ServerAction.Stop,
        ct => node.Driver.PowerOff(context.Message.ServerId, ct),
        m => new InstanceStopped(m.ServerId, m.Request, node.Name));

    public Task Consume(ConsumeContext<StartInstance> context) => Act(context, ServerAction.Start,
        ct => node.Driver.PowerOn(context.Message.ServerId, ct),
        m => new InstanceStarted(m.ServerId, m.Request, node.Name));

    public Task Consume(ConsumeContext<RebootInstance> context) => Act(context, ServerAction.Reboot,
        ct => node.Driver.Reboot(context.Message.ServerId, context.Message.Type, ct),
        m => new InstanceRebooted(m.ServerId, m.Request, node.Name));

    public async Task Consume(ConsumeContext<GetConsoleOutput> context)
    {
        var m = context.Message;
        try
        {
            await context.RespondAsync(new ConsoleOutput(m.ServerId, await node.Driver.GetConsoleOutput(m.ServerId, m.Lines, context.CancellationToken), null));
        }
        catch (HypervisorError e)
        {
            await context.RespondAsync(new ConsoleOutput(m.ServerId, "", e.Message));
        }
    }

    public async Task Consume(ConsumeContext<TerminateInstance> context)
    {
        var m = context.Message;
        using (await node.Lock(m.ServerId, context.CancellationToken))
        {
            await node.Driver.Destroy(m.ServerId, context.CancellationToken);
            node.MarkTerminated(m.ServerId);
        }
        await Report(context, new InstanceTerminated(m.ServerId, m.Request, node.Name));
    }

    private async Task Act<T>(ConsumeContext<T> context, ServerAction action, Func<CancellationToken, Task> operate,
        Func<T, object> done) where T : class, IInstanceMessage
    {
        var m = context.Message;
        using var _ = await node.Lock(m.ServerId, context.CancellationToken);
        try
        {
            await operate(context.CancellationToken);
            await Report(context, done(m));
        }
        catch (HypervisorError e)
        {
            log.LogWarning("{Action} of {ServerId} failed on {Host}: {Error}", action, m.ServerId, node.Name, e.Message);
            await Report(context, new InstanceActionFailed(m.ServerId, m.Request, node.Name, action, e.Message));
        }
    }

    private async Task Report(ConsumeContext context, object report)
    {
        var endpoint = await context.GetSendEndpoint(new Uri($"queue:{queues.Conductor}"));
        await endpoint.Send(report, report.GetType(), context.CancellationToken);
    }
}
