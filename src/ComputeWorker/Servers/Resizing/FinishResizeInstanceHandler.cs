using Nova.ComputeWorker.Drivers;
using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Resizing;

/// <summary>
/// Nova's finish_resize on the target: the guest built with the new flavor from the handed-over disk. A failure removes
/// what was built here (on one host: brings the old guest back) before it is reported, so the source can take over.
/// </summary>
public sealed class FinishResizeInstanceHandler : IInstanceOperation<FinishResizeInstance>
{
    public async Task Run(FinishResizeInstance m, OnHost host)
    {
        var ct = host.Cancellation;
        try
        {
            await host.Report(new InstanceResizeStepStarted(m.ServerId, m.Request, host.Name, TaskState.ResizeFinish));
            await host.Driver.FinishMigration(new InstanceSpec(m.ServerId, m.Name, m.Flavor, m.TransferImageId.ToString(), m.Networks),
                m.SameHost, m.PowerOn, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            host.Log.LogWarning(e, "Finishing the resize of {ServerId} failed on {Host}", m.ServerId, host.Name);
            try
            {
                await host.Driver.RevertMigration(m.ServerId, m.SameHost, ct);
            }
            catch (Exception again) when (again is not OperationCanceledException)
            {
                host.Log.LogWarning(again, "What the failed resize of {ServerId} built on {Host} could not be removed", m.ServerId, host.Name);
            }
            await host.Report(new InstanceResizeFailed(m.ServerId, m.Request, host.Name, e.Message));
            return;
        }
        await host.Report(new InstanceResized(m.ServerId, m.Request, host.Name));
    }
}
