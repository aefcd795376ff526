using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Resizing;

/// <summary>
/// Nova's resize_instance on the source: the guest powered off and its disk handed over as the transfer image. A failure
/// brings the guest back as it was before it is reported, so the server stays usable on its source.
/// </summary>
public sealed class ResizeInstanceHandler : IInstanceOperation<ResizeInstance>
{
    public async Task Run(ResizeInstance m, OnHost host)
    {
        var ct = host.Cancellation;
        var before = host.Driver.GetPowerState(m.ServerId);
        try
        {
            await host.Report(new InstanceResizeStepStarted(m.ServerId, m.Request, host.Name, TaskState.ResizeMigrating));
            await host.Driver.PowerOff(m.ServerId, ct);
            await host.Driver.Snapshot(m.ServerId, m.TransferImageId.ToString(), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            host.Log.LogWarning(e, "Resize of {ServerId} failed on its source {Host}", m.ServerId, host.Name);
            try
            {
                if (before == PowerState.Running) await host.Driver.PowerOn(m.ServerId, ct);
            }
            catch (Exception again) when (again is not OperationCanceledException)
            {
                host.Log.LogWarning(again, "{ServerId} could not be powered on again after its failed resize", m.ServerId);
            }
            await host.Report(new InstanceResizeFailed(m.ServerId, m.Request, host.Name, e.Message));
            return;
        }
        await host.Report(new InstanceResizeMigrated(m.ServerId, m.Request, host.Name));
    }
}
