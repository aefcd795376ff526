namespace Nova.Domain.Hosts;

/// <summary>
/// How much of a host may be claimed, as placement computes it: (total − reserved) × ratio.
/// Nova's defaults: VCPU 16.0, RAM 1.5, disk 1.0, 512 MB of host memory reserved.
/// </summary>
public sealed record AllocationRatios(double Vcpu = 16.0, double Ram = 1.5, double Disk = 1.0, int ReservedMemoryMb = 512, int ReservedDiskGb = 0)
{
    public HostResources Allocatable(HostResources inventory) => new(
        (int)Math.Floor(inventory.Vcpus * Vcpu),
        (int)Math.Floor(Math.Max(0, inventory.MemoryMb - ReservedMemoryMb) * Ram),
        (int)Math.Floor(Math.Max(0, inventory.DiskGb - ReservedDiskGb) * Disk));
}
