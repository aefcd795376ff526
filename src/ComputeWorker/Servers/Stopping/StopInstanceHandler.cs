using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Stopping;

public sealed class StopInstanceHandler : InstanceAction<StopInstance>
{
    protected override ServerAction Action => ServerAction.Stop;
    protected override Task Operate(StopInstance m, OnHost host) => host.Driver.PowerOff(m.ServerId, host.Cancellation);
    protected override IHostReport Done(StopInstance m, string host) => new InstanceStopped(m.ServerId, m.Request, host);
}
