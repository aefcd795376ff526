using Nova.Domain.Hosts;

namespace Nova.Domain.Tests.Hosts;

public class AllocationRatiosTests
{
    [Fact]
    public void Novas_defaults_overcommit_cpu_16x_ram_1_5x_after_reserving_512_MB_and_disk_not_at_all()
    {
        var capacity = new AllocationRatios().Allocatable(new HostResources(2, 24576, 250));
        Assert.Equal(new HostResources(32, 36096, 250), capacity);
    }

    [Fact]
    public void Ratios_and_reservations_are_configurable()
    {
        var ratios = new AllocationRatios(Vcpu: 1.0, Ram: 1.0, Disk: 0.5, ReservedMemoryMb: 1024, ReservedDiskGb: 10);
        Assert.Equal(new HostResources(8, 7168, 45), ratios.Allocatable(new HostResources(8, 8192, 100)));
    }

    [Fact]
    public void A_host_smaller_than_its_reservation_has_nothing_to_claim_not_a_negative_amount()
    {
        Assert.Equal(new HostResources(16, 0, 0), new AllocationRatios(ReservedDiskGb: 50).Allocatable(new HostResources(1, 256, 20)));
    }
}
