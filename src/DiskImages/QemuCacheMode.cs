namespace Nova.DiskImages;

/// <summary>
/// qemu-img cache modes this host uses. <c>writethrough</c> is deliberately absent: both modes here flush
/// when qemu-img finishes, and writethrough was about 15 times slower for conversions (Nova bug 1818847).
/// </summary>
public enum QemuCacheMode
{
    /// <summary>O_DIRECT: bypasses the host page cache; needs filesystem support.</summary>
    None,
    /// <summary>Through the page cache, flushed at the end.</summary>
    Writeback,
}
