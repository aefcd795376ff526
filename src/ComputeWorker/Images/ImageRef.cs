namespace Nova.ComputeWorker.Images;

/// <summary>The image a build asks for: its id in the image registry and the disk format the registry declares.</summary>
public sealed record ImageRef(string Id, string DiskFormat);
