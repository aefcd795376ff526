namespace Nova.ComputeWorker.Images;

public enum ImageRefusal
{
    /// <summary>The declared disk format is not one this host boots from (raw, qcow2).</summary>
    UnsupportedFormat,
    /// <summary>The data is not an image of the declared format (qemu-img sees raw bytes, or cannot read it).</summary>
    NotAnImage,
    /// <summary>qemu-img detects a different format than the one declared.</summary>
    FormatMismatch,
    /// <summary>The image names a backing file, which would let it read any file on this host.</summary>
    BackingFile,
    /// <summary>A qcow2 external data file: the same danger as a backing file.</summary>
    DataFile,
    /// <summary>Encrypted images cannot be converted without their secret.</summary>
    Encrypted,
}

/// <summary>A fetched image failed the <c>qemu-img info</c> check; nothing was left in the cache.</summary>
public sealed class ImageRefusedException(string imageId, ImageRefusal reason, string detail)
    : Exception($"Image {imageId} refused ({reason}): {detail}")
{
    public string ImageId { get; } = imageId;
    public ImageRefusal Reason { get; } = reason;
    public string Detail { get; } = detail;
}
