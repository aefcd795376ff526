using Nova.ComputeWorker.Drivers;
using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Building;

/// <summary>Nova's build_and_run_instance: the build steps, the driver's spawn, and the result.</summary>
public sealed class BuildAndRunInstanceHandler : IInstanceOperation<BuildAndRunInstance>
{
    public async Task Run(BuildAndRunInstance m, OnHost host)
    {
        var ct = host.Cancellation;
        // A late or redelivered build of an instance torn down here does not bring it back.
        if (host.Node.WasTerminated(m.ServerId)) return;
        try
        {
            foreach (var step in new[] { TaskState.Networking, TaskState.BlockDeviceMapping, TaskState.Spawning })
                await host.Report(new InstanceBuildStepStarted(m.ServerId, m.Request, host.Name, step));
            await host.Driver.Spawn(new InstanceSpec(m.ServerId, m.Name, m.Flavor, m.ImageId, m.Networks), ct);
            await host.Report(new InstanceBuilt(m.ServerId, m.Request, host.Name, DateTimeOffset.UtcNow));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Log.LogWarning(e, "Build of {ServerId} failed on {Host}", m.ServerId, host.Name);
            await host.Driver.Destroy(m.ServerId, ct);
            await host.Report(new InstanceBuildFailed(m.ServerId, m.Request, host.Name,
                e is HypervisorError ? e.Message : "Build of instance failed on the compute host.", e.GetType().Name + ": " + e.Message,
                Retryable: e is not HypervisorError { Retryable: false }));
        }
    }
}
