using Nova.ComputeWorker.Drivers;
using Nova.ComputeWorker.Instances;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Servers.Rescuing;

public sealed class RescueInstanceHandler : InstanceAction<RescueInstance>
{
    protected override ServerAction Action => ServerAction.Rescue;

    protected override Task Operate(RescueInstance m, OnHost host) =>
        host.Driver.Rescue(new RescueSpec(new InstanceSpec(m.ServerId, m.Name, m.Flavor, m.ImageId, m.Networks), m.RescueImageId),
            host.Cancellation);

    protected override IHostReport Done(RescueInstance m, string host) => new InstanceRescued(m.ServerId, m.Request, host);
}
