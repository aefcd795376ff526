using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Pausing;

public sealed class PauseInstanceHandler : InstanceAction<PauseInstance>
{
    protected override ServerAction Action => ServerAction.Pause;
    protected override Task Operate(PauseInstance m, OnHost host) => host.Driver.Pause(m.ServerId, host.Cancellation);
    protected override IHostReport Done(PauseInstance m, string host) => new InstancePaused(m.ServerId, m.Request, host);
}
