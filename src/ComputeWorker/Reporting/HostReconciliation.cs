using MassTransit;
using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;

namespace Nova.ComputeWorker.Reporting;

/// <summary>
/// At start-up and every <see cref="ComputeWorkerOptions.ReconcileIntervalSeconds"/>: tell the conductor which guests
/// each host has, so servers whose guest is gone and guests nobody owns are found (the control plane decides what
/// each means); and forget journal entries older than any message that could still be sent again.
/// </summary>
public sealed class HostReconciliation(IBus bus, IEnumerable<ComputeNode> nodes, ComputeQueues queues, ComputeWorkerOptions options,
    ILogger<HostReconciliation> log) : BackgroundService
{
    private static readonly TimeSpan JournalRetention = TimeSpan.FromDays(7);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.ReconcileIntervalSeconds <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.ReconcileIntervalSeconds));
        do
        {
            foreach (var node in nodes)
            {
                try
                {
                    var endpoint = await bus.GetSendEndpoint(queues.ConductorAddress);
                    await endpoint.Send(new HostInventory(node.Name, node.Driver.ListInstances().ToList(), DateTimeOffset.UtcNow), stoppingToken);
                    var forgotten = node.Journal.Prune(JournalRetention);
                    if (forgotten > 0) log.LogInformation("Forgot {Count} journal entries of {Host}", forgotten, node.Name);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning("Reconciliation of host {Host} failed, the next pass tries again: {Error}", node.Name, e.Message);
                }
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
