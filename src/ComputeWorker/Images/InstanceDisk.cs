namespace Nova.ComputeWorker.Images;

/// <summary>An instance's root disk: a qcow2 overlay whose backing file is a raw base in the image cache.</summary>
public sealed record InstanceDisk(string Path, string BasePath, long VirtualSizeBytes)
{
    /// <summary>The instance's own root disk.</summary>
    public const string Root = "disk";
    /// <summary>The disk a rescued instance boots from (Nova's disk.rescue), its own disk second.</summary>
    public const string Rescue = "disk.rescue";

    /// <summary>A rebuild's new root disk, until it replaces <see cref="Root"/>.</summary>
    public const string Rebuild = "disk.rebuild";

    /// <summary>Every overlay an instance folder may hold: each keeps its base in the cache.</summary>
    public static readonly IReadOnlyList<string> FileNames = [Root, Rescue, Rebuild];
}
