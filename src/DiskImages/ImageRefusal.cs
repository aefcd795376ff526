namespace Nova.DiskImages;

/// <summary>Why an image may not be used; the same rules for an upload and for a compute host's fetch.</summary>
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
    /// <summary>qemu-img marks the qcow2 image corrupt.</summary>
    Corrupt,
}
