using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Rebooting;

public sealed class RebootInstanceHandler : InstanceAction<RebootInstance>
{
    protected override ServerAction Action => ServerAction.Reboot;
    protected override Task Operate(RebootInstance m, OnHost host) => host.Driver.Reboot(m.ServerId, m.Type, host.Cancellation);
    protected override IHostReport Done(RebootInstance m, string host) => new InstanceRebooted(m.ServerId, m.Request, host);
}
