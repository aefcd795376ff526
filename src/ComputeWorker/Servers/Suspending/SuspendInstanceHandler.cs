using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Suspending;

public sealed class SuspendInstanceHandler : InstanceAction<SuspendInstance>
{
    protected override ServerAction Action => ServerAction.Suspend;
    protected override Task Operate(SuspendInstance m, OnHost host) => host.Driver.Suspend(m.ServerId, host.Cancellation);
    protected override IHostReport Done(SuspendInstance m, string host) => new InstanceSuspended(m.ServerId, m.Request, host);
}
