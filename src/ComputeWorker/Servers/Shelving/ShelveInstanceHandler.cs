using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Shelving;

/// <summary>Nova's shelve_instance: power off, then the disk to the image service, each step reported.</summary>
public sealed class ShelveInstanceHandler : IInstanceOperation<ShelveInstance>
{
    public async Task Run(ShelveInstance m, OnHost host)
    {
        var ct = host.Cancellation;
        try
        {
            await host.Report(new InstanceShelveStepStarted(m.ServerId, m.Request, host.Name, TaskState.ShelvingImagePendingUpload));
            await host.Driver.PowerOff(m.ServerId, ct);
            await host.Report(new InstanceShelveStepStarted(m.ServerId, m.Request, host.Name, TaskState.ShelvingImageUploading));
            await host.Driver.Snapshot(m.ServerId, m.ImageId.ToString(), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            host.Log.LogWarning(e, "Shelve of {ServerId} failed on {Host}", m.ServerId, host.Name);
            await host.Report(new InstanceShelveFailed(m.ServerId, m.Request, host.Name, e.Message));
            return;
        }
        await host.Report(new InstanceShelved(m.ServerId, m.Request, host.Name));
    }
}
