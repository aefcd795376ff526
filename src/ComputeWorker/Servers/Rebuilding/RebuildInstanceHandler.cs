using Nova.ComputeWorker.Drivers;
using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Rebuilding;

/// <summary>Nova's rebuild_instance: the disk replaced from the new image, the guest booted again, each step reported.</summary>
public sealed class RebuildInstanceHandler : IInstanceOperation<RebuildInstance>
{
    public async Task Run(RebuildInstance m, OnHost host)
    {
        var ct = host.Cancellation;
        try
        {
            await host.Report(new InstanceRebuildStepStarted(m.ServerId, m.Request, host.Name, TaskState.RebuildBlockDeviceMapping));
            await host.Report(new InstanceRebuildStepStarted(m.ServerId, m.Request, host.Name, TaskState.RebuildSpawning));
            await host.Driver.Rebuild(new InstanceSpec(m.ServerId, m.Name, m.Flavor, m.ImageId, m.Networks), m.PowerOn, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            host.Log.LogWarning(e is HypervisorError ? null : e, "Rebuild of {ServerId} failed on {Host}: {Error}", m.ServerId, host.Name, e.Message);
            await host.Report(new InstanceActionFailed(m.ServerId, m.Request, host.Name, ServerAction.Rebuild,
                e is HypervisorError ? e.Message : $"Rebuild failed on the compute host: {e.GetType().Name}: {e.Message}"));
            return;
        }
        await host.Report(new InstanceRebuilt(m.ServerId, m.Request, host.Name));
    }
}
