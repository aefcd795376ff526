namespace Nova.ComputeWorker.Images;

/// <summary>Nova's FlavorDiskSmallerThanImage: disks never shrink below the image's virtual size.</summary>
public sealed class FlavorDiskTooSmallException(long flavorSizeBytes, long imageSizeBytes)
    : Exception($"Flavor's disk is too small for requested image. Flavor disk is {flavorSizeBytes} bytes, image is {imageSizeBytes} bytes.")
{
    public long FlavorSizeBytes { get; } = flavorSizeBytes;
    public long ImageSizeBytes { get; } = imageSizeBytes;
}
