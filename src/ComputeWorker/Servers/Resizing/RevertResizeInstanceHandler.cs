using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Resizing;

/// <summary>
/// Nova's revert_resize on the target: the new guest goes. On one host the old guest comes back and, when it ran, runs
/// again: the whole revert in one step.
/// </summary>
public sealed class RevertResizeInstanceHandler : IInstanceOperation<RevertResizeInstance>
{
    public async Task Run(RevertResizeInstance m, OnHost host)
    {
        var ct = host.Cancellation;
        try
        {
            await host.Driver.RevertMigration(m.ServerId, m.SameHost, ct);
            if (m.SameHost && m.PowerOn && host.Driver.GetPowerState(m.ServerId) != PowerState.Running)
                await host.Driver.PowerOn(m.ServerId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            host.Log.LogWarning(e, "Reverting the resize of {ServerId} failed on {Host}", m.ServerId, host.Name);
            await host.Report(new InstanceResizeFailed(m.ServerId, m.Request, host.Name, e.Message));
            return;
        }
        await host.Report(m.SameHost
            ? (IHostReport)new InstanceResizeReverted(m.ServerId, m.Request, host.Name)
            : new InstanceResizeRolledBack(m.ServerId, m.Request, host.Name));
    }
}
