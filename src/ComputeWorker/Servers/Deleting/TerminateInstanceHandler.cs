using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;

namespace Nova.ComputeWorker.Servers.Deleting;

/// <summary>Nova's terminate_instance: nothing of the instance is left on the host, and a late build will not bring it back.</summary>
public sealed class TerminateInstanceHandler : IInstanceOperation<TerminateInstance>
{
    public async Task Run(TerminateInstance m, OnHost host)
    {
        await host.Driver.Destroy(m.ServerId, host.Cancellation);
        host.Node.MarkTerminated(m.ServerId);
        await host.Report(new InstanceTerminated(m.ServerId, m.Request, host.Name));
    }
}
