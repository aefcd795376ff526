namespace Nova.Projections.Images;

/// <summary>An image in the registry (records only in the spine; the data path comes with the libvirt driver).</summary>
public sealed class ImageRecord
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string DiskFormat { get; set; } = "qcow2";
    public string ContainerFormat { get; set; } = "bare";
    public string Status { get; set; } = "active";
    public long? Size { get; set; }
    public long? VirtualSize { get; set; }
    public int MinDiskGb { get; set; }
    public int MinRamMb { get; set; }
    public string Visibility { get; set; } = "public";
    public string? OwnerProjectId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
