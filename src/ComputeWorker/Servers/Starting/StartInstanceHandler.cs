using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Starting;

public sealed class StartInstanceHandler : InstanceAction<StartInstance>
{
    protected override ServerAction Action => ServerAction.Start;
    protected override Task Operate(StartInstance m, OnHost host) => host.Driver.PowerOn(m.ServerId, host.Cancellation);
    protected override IHostReport Done(StartInstance m, string host) => new InstanceStarted(m.ServerId, m.Request, host);
}
