using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Suspending;

public sealed class ResumeInstanceHandler : InstanceAction<ResumeInstance>
{
    protected override ServerAction Action => ServerAction.Resume;
    protected override Task Operate(ResumeInstance m, OnHost host) => host.Driver.Resume(m.ServerId, host.Cancellation);
    protected override IHostReport Done(ResumeInstance m, string host) => new InstanceResumed(m.ServerId, m.Request, host);
}
