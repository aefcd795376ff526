using Nova.ComputeWorker.Drivers;
using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;

namespace Nova.ComputeWorker.Servers.Shelving;

/// <summary>
/// Nova's unshelve_instance: a server still defined here (shelved, not offloaded) is powered on; otherwise it is
/// spawned from its shelve image. Asking whether the hypervisor has it makes a redelivery safe either way.
/// </summary>
public sealed class UnshelveInstanceHandler : IInstanceOperation<UnshelveInstance>
{
    public async Task Run(UnshelveInstance m, OnHost host)
    {
        var ct = host.Cancellation;
        var defined = host.Driver.GetPowerState(m.ServerId) is not null;
        try
        {
            if (defined) await host.Driver.PowerOn(m.ServerId, ct);
            else await host.Driver.Spawn(new InstanceSpec(m.ServerId, m.Name, m.Flavor, m.ImageId, m.Networks), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            host.Log.LogWarning(e, "Unshelve of {ServerId} failed on {Host}", m.ServerId, host.Name);
            // A half-spawned instance leaves nothing behind; one that was shelved here stays as it was.
            if (!defined) await host.Driver.Destroy(m.ServerId, ct);
            await host.Report(new InstanceUnshelveFailed(m.ServerId, m.Request, host.Name,
                e is HypervisorError ? e.Message : "Unshelve of instance failed on the compute host.", e.GetType().Name + ": " + e.Message));
            return;
        }
        await host.Report(new InstanceUnshelved(m.ServerId, m.Request, host.Name));
    }
}
