using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Resizing;

/// <summary>Nova's finish_revert_resize on the source: its guest, kept with the old flavor, runs again if it ran before.</summary>
public sealed class FinishRevertResizeInstanceHandler : IInstanceOperation<FinishRevertResizeInstance>
{
    public async Task Run(FinishRevertResizeInstance m, OnHost host)
    {
        var ct = host.Cancellation;
        try
        {
            if (m.PowerOn && host.Driver.GetPowerState(m.ServerId) != PowerState.Running) await host.Driver.PowerOn(m.ServerId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            host.Log.LogWarning(e, "{ServerId} could not be started again on {Host} after its revert", m.ServerId, host.Name);
            await host.Report(new InstanceResizeFailed(m.ServerId, m.Request, host.Name, e.Message));
            return;
        }
        await host.Report(new InstanceResizeReverted(m.ServerId, m.Request, host.Name));
    }
}
