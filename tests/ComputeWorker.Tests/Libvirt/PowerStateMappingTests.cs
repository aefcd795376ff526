using Nova.ComputeWorker.Drivers.Libvirt;
using Nova.Domain.Servers;
using Nova.Libvirt;

namespace Nova.ComputeWorker.Tests.Libvirt;

public class PowerStateMappingTests
{
    [Theory]
    [InlineData(DomainState.NoState, PowerState.NoState)]
    [InlineData(DomainState.Running, PowerState.Running)]
    [InlineData(DomainState.Blocked, PowerState.Running)]
    [InlineData(DomainState.Paused, PowerState.Paused)]
    [InlineData(DomainState.Shutdown, PowerState.Shutdown)]
    [InlineData(DomainState.Shutoff, PowerState.Shutdown)]
    [InlineData(DomainState.Crashed, PowerState.Crashed)]
    [InlineData(DomainState.PMSuspended, PowerState.Suspended)]
    public void Libvirt_states_map_to_novas_power_states(DomainState libvirt, PowerState nova)
    {
        Assert.Equal(nova, LibvirtDriver.ToPowerState(libvirt));
    }
}
