using Nova.ComputeWorker.Drivers;
using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Snapshots;

/// <summary>
/// Nova's snapshot_instance and backup_instance: the root disk stored as the queued image, each step reported
/// (a snapshot passes image_snapshot first; a backup goes from image_backup straight to image_pending_upload).
/// </summary>
public sealed class SnapshotInstanceHandler : IInstanceOperation<SnapshotInstance>
{
    public async Task Run(SnapshotInstance m, OnHost host)
    {
        var ct = host.Cancellation;
        try
        {
            if (m.Action == ServerAction.CreateImage)
                await host.Report(new InstanceSnapshotStepStarted(m.ServerId, m.Request, host.Name, TaskState.ImageSnapshot));
            await host.Report(new InstanceSnapshotStepStarted(m.ServerId, m.Request, host.Name, TaskState.ImagePendingUpload));
            await host.Report(new InstanceSnapshotStepStarted(m.ServerId, m.Request, host.Name, TaskState.ImageUploading));
            await host.Driver.Snapshot(m.ServerId, m.ImageId.ToString(), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            host.Log.LogWarning(e is HypervisorError ? null : e, "{Action} of {ServerId} failed on {Host}: {Error}", m.Action, m.ServerId, host.Name, e.Message);
            await host.Report(new InstanceActionFailed(m.ServerId, m.Request, host.Name, m.Action,
                e is HypervisorError ? e.Message : $"{NovaNames.Of(m.Action)} failed on the compute host: {e.GetType().Name}: {e.Message}"));
            return;
        }
        await host.Report(new InstanceSnapshotted(m.ServerId, m.Request, host.Name));
    }
}
