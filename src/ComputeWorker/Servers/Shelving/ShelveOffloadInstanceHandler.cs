using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Shelving;

/// <summary>Nova's shelve_offload_instance: the domain and everything of it on this host are removed.</summary>
public sealed class ShelveOffloadInstanceHandler : InstanceAction<ShelveOffloadInstance>
{
    protected override ServerAction Action => ServerAction.ShelveOffload;
    protected override Task Operate(ShelveOffloadInstance m, OnHost host) => host.Driver.Destroy(m.ServerId, host.Cancellation);
    protected override IHostReport Done(ShelveOffloadInstance m, string host) => new InstanceShelveOffloaded(m.ServerId, m.Request, host);
}
