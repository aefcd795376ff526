namespace Nova.ComputeWorker.Images;

/// <summary>An instance's root disk: a qcow2 overlay whose backing file is a raw base in the image cache.</summary>
public sealed record InstanceDisk(string Path, string BasePath, long VirtualSizeBytes);
