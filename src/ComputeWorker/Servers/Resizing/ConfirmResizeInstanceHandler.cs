using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;

namespace Nova.ComputeWorker.Servers.Resizing;

/// <summary>Nova's confirm_resize on the source: the old guest goes.</summary>
public sealed class ConfirmResizeInstanceHandler : IInstanceOperation<ConfirmResizeInstance>
{
    public async Task Run(ConfirmResizeInstance m, OnHost host)
    {
        var ct = host.Cancellation;
        try
        {
            await host.Driver.ConfirmMigration(m.ServerId, m.SameHost, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The confirm stands: the guest left behind is an orphan the host's reconciliation removes.
            host.Log.LogWarning(e, "The old guest of {ServerId} could not be removed from {Host}", m.ServerId, host.Name);
            await host.Report(new InstanceResizeFailed(m.ServerId, m.Request, host.Name, e.Message));
            return;
        }
        await host.Report(new InstanceResizeConfirmed(m.ServerId, m.Request, host.Name));
    }
}
