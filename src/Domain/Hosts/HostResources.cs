namespace Nova.Domain.Hosts;

/// <summary>An amount of the three resources Nova schedules on: VCPU, MEMORY_MB, DISK_GB.</summary>
public sealed record HostResources(int Vcpus, int MemoryMb, int DiskGb)
{
    public static readonly HostResources None = new(0, 0, 0);

    public HostResources Add(HostResources other) =>
        new(Vcpus + other.Vcpus, MemoryMb + other.MemoryMb, DiskGb + other.DiskGb);

    public HostResources Subtract(HostResources other) =>
        new(Vcpus - other.Vcpus, MemoryMb - other.MemoryMb, DiskGb - other.DiskGb);

    public bool Fits(HostResources request) =>
        request.Vcpus <= Vcpus && request.MemoryMb <= MemoryMb && request.DiskGb <= DiskGb;
}
