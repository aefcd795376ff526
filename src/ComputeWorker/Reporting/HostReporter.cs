using MassTransit;
using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;

namespace Nova.ComputeWorker.Reporting;

/// <summary>Registers each host at start and reports its resources every interval: its heartbeat.</summary>
public sealed class HostReporter(IBus bus, IEnumerable<ComputeNode> nodes, ComputeQueues queues, ComputeWorkerOptions options,
    ILogger<HostReporter> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.ReportIntervalSeconds));
        do
        {
            foreach (var node in nodes)
            {
                try
                {
                    var endpoint = await bus.GetSendEndpoint(queues.ConductorAddress);
                    await endpoint.Send(Report(node), stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning("Report of host {Host} failed: {Error}", node.Name, e.Message);
                }
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private ComputeHostReport Report(ComputeNode node)
    {
        var inventory = node.Driver.Capacity;
        return new ComputeHostReport(node.Name, inventory, options.AllocationRatios.Allocatable(inventory),
            node.Driver.ListInstances().Count, node.Driver.HypervisorType, node.Driver.HypervisorVersion, DateTimeOffset.UtcNow,
            options.AvailabilityZone);
    }
}
