using Nova.Domain.Flavors;

namespace Nova.Store.Flavors;

/// <summary>A flavor in the catalog. Reference data, not lifecycle: servers keep their own snapshot.</summary>
public sealed class FlavorRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public int Vcpus { get; set; }
    public int RamMb { get; set; }
    public int DiskGb { get; set; }
    public int EphemeralGb { get; set; }
    public int SwapMb { get; set; }
    public double RxtxFactor { get; set; } = 1.0;
    public bool IsPublic { get; set; } = true;
    public string? Description { get; set; }
    public Dictionary<string, string> ExtraSpecs { get; set; } = new();
    /// <summary>The projects a private flavor is shared with (Nova's flavor_projects), in the order they were added.</summary>
    public List<string> Projects { get; set; } = new();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    public FlavorSpec ToSpec() => new(Id, Name, Vcpus, RamMb, DiskGb, EphemeralGb, SwapMb);

    public static FlavorRecord From(FlavorSpec spec, DateTimeOffset now) => new()
    {
        Id = spec.Id, Name = spec.Name, Vcpus = spec.Vcpus, RamMb = spec.RamMb, DiskGb = spec.DiskGb,
        EphemeralGb = spec.EphemeralGb, SwapMb = spec.SwapMb, CreatedAt = now,
    };
}
