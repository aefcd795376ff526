namespace Nova.ComputeWorker.Images;

/// <summary>
/// A lease on a base file in the image cache: while it is open, <see cref="ImageCache.Prune"/> (in this or any
/// other process on the host) leaves the base alone. Dispose it once the instance disk exists; from then on the
/// disk's backing file keeps the base in use.
/// </summary>
public sealed class CachedImage : IDisposable, IAsyncDisposable
{
    private readonly Action release;
    private int released;

    internal CachedImage(ImageCache cache, string imageId, string basePath, long virtualSizeBytes, Action release)
    {
        Cache = cache;
        ImageId = imageId;
        BasePath = basePath;
        VirtualSizeBytes = virtualSizeBytes;
        this.release = release;
    }

    internal ImageCache Cache { get; }
    public string ImageId { get; }
    /// <summary>The raw base file, <c>&lt;instances&gt;/_base/&lt;sha1(image id)&gt;</c>.</summary>
    public string BasePath { get; }
    /// <summary>The image's virtual size: the raw base's length in whole 512-byte sectors, as QEMU sees it.</summary>
    public long VirtualSizeBytes { get; }
    public bool IsReleased => Volatile.Read(ref released) == 1;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) release();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
