namespace Nova.Domain.Flavors;

/// <summary>
/// A flavor as a server records it at create time: later flavor changes or deletion
/// do not alter servers already built from it (Nova keeps the same snapshot).
/// </summary>
public sealed record FlavorSpec(
    string Id, string Name, int Vcpus, int RamMb, int DiskGb, int EphemeralGb = 0, int SwapMb = 0)
{
    public Hosts.HostResources Resources => new(Vcpus, RamMb, DiskGb + EphemeralGb);
}

/// <summary>Nova's default flavor set (the m1 family).</summary>
public static class DefaultFlavors
{
    public static readonly IReadOnlyList<FlavorSpec> All =
    [
        new("1", "m1.tiny", 1, 512, 1),
        new("2", "m1.small", 1, 2048, 20),
        new("3", "m1.medium", 2, 4096, 40),
        new("4", "m1.large", 4, 8192, 80),
        new("5", "m1.xlarge", 8, 16384, 160),
    ];
}
