namespace Nova.Store.Images;

/// <summary>
/// An image in the registry. Its data, once uploaded, is the file named by its id in the image store;
/// <see cref="Checksum"/> is Glance's legacy md5, <see cref="HashValue"/> the sha256 in <c>os_hash_value</c>.
/// </summary>
public sealed class ImageRecord
{
    public const string HashAlgorithm = "sha256";

    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string DiskFormat { get; set; } = "qcow2";
    public string ContainerFormat { get; set; } = "bare";
    public string Status { get; set; } = "active";
    public long? Size { get; set; }
    public long? VirtualSize { get; set; }
    public string? Checksum { get; set; }
    public string? HashValue { get; set; }
    /// <summary>A sha256 the creator declared: the upload must match it.</summary>
    public string? ExpectedHashValue { get; set; }
    public int MinDiskGb { get; set; }
    public int MinRamMb { get; set; }
    public string Visibility { get; set; } = "public";
    public string? OwnerProjectId { get; set; }
    /// <summary>Glance's additional properties (shown as top-level fields), e.g. a snapshot's instance_uuid and image_type.</summary>
    public Dictionary<string, string> Properties { get; set; } = new();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Public images are everyone's; private ones their owner project's and admins'.</summary>
    public bool IsVisibleTo(string projectId, bool isAdmin) =>
        Visibility == "public" || isAdmin || OwnerProjectId == projectId;

    /// <summary>Only the owner project or an admin may change an image (upload, delete).</summary>
    public bool IsManageableBy(string projectId, bool isAdmin) =>
        isAdmin || (OwnerProjectId is not null && OwnerProjectId == projectId);
}
