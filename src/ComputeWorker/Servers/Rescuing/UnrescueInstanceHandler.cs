using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Rescuing;

public sealed class UnrescueInstanceHandler : InstanceAction<UnrescueInstance>
{
    protected override ServerAction Action => ServerAction.Unrescue;
    protected override Task Operate(UnrescueInstance m, OnHost host) => host.Driver.Unrescue(m.ServerId, host.Cancellation);
    protected override IHostReport Done(UnrescueInstance m, string host) => new InstanceUnrescued(m.ServerId, m.Request, host);
}
