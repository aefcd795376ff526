using Nova.DiskImages;

namespace Nova.ComputeWorker.Images;

/// <summary>A fetched image failed the <c>qemu-img info</c> check; nothing was left in the cache.</summary>
public sealed class ImageRefusedException(string imageId, ImageRefusal reason, string detail)
    : Exception($"Image {imageId} refused ({reason}): {detail}")
{
    public string ImageId { get; } = imageId;
    public ImageRefusal Reason { get; } = reason;
    public string Detail { get; } = detail;
}
