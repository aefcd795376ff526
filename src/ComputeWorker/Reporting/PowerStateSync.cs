using MassTransit;
using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;

namespace Nova.ComputeWorker.Reporting;

/// <summary>
/// Nova's sync_power_states: every interval, tell the conductor the power state of each instance
/// the hypervisor has. Each look is taken under the instance's lock, so it never interleaves with
/// an operation on it; the conductor ignores it while a task is in progress.
/// </summary>
public sealed class PowerStateSync(IBus bus, IEnumerable<ComputeNode> nodes, ComputeQueues queues, ComputeWorkerOptions options,
    ILogger<PowerStateSync> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.PowerSyncIntervalSeconds <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.PowerSyncIntervalSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var node in nodes)
            {
                try
                {
                    await Sync(node, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning("Power-state sync of {Host} failed: {Error}", node.Name, e.Message);
                }
            }
        }
    }

    private async Task Sync(ComputeNode node, CancellationToken ct)
    {
        var conductor = await bus.GetSendEndpoint(queues.ConductorAddress);
        var request = new RequestContext($"req-{Guid.NewGuid()}", "nova-compute", "service");
        foreach (var serverId in node.Driver.ListInstances())
        {
            using var _ = await node.Lock(serverId, ct);
            if (node.Driver.GetPowerState(serverId) is { } observed)
                await conductor.Send(new InstancePowerStateObserved(serverId, request, node.Name, observed), ct);
        }
    }
}
