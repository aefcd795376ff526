using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Pausing;

public sealed class UnpauseInstanceHandler : InstanceAction<UnpauseInstance>
{
    protected override ServerAction Action => ServerAction.Unpause;
    protected override Task Operate(UnpauseInstance m, OnHost host) => host.Driver.Unpause(m.ServerId, host.Cancellation);
    protected override IHostReport Done(UnpauseInstance m, string host) => new InstanceUnpaused(m.ServerId, m.Request, host);
}
