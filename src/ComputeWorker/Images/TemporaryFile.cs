namespace Nova.ComputeWorker.Images;

/// <summary>
/// A file written under a temporary name and then renamed into place (a download, a conversion, an overlay being
/// created, a snapshot being flattened, a kept domain definition). Its writer holds a shared flock on it for as long
/// as it lives, so that <see cref="RemoveIfAbandoned"/> can tell the leftover of a process that died (a crash mid-download
/// or mid-conversion) from a file some process on this host is still writing or reading.
/// </summary>
/// <remarks>
/// Shared, not exclusive: .NET's own <see cref="FileStream"/> takes a shared flock too (any <see cref="FileShare"/> but
/// None), so the writer can open the file again; qemu-img's locks are fcntl locks, which flock does not see.
/// </remarks>
internal sealed class TemporaryFile : IDisposable
{
    /// <summary>The endings of every temporary name the image cache and the instance folders use.</summary>
    public static readonly IReadOnlyList<string> Endings = [".part", ".converting", ".creating"];

    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle descriptor;

    private TemporaryFile(Microsoft.Win32.SafeHandles.SafeFileHandle descriptor, string path)
    {
        this.descriptor = descriptor;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Creates the (empty) file at <paramref name="path"/>, which must not exist, and holds it.</summary>
    public static TemporaryFile Create(string path)
    {
        if (!Endings.Any(ending => path.EndsWith(ending, StringComparison.Ordinal)))
            throw new ArgumentException($"{path} does not end as a temporary file does.", nameof(path));
        while (true)
        {
            var descriptor = Libc.Open(path, Libc.ReadWrite | Libc.Create | Libc.Exclusive, 0b110_100_100 /* 0644 */, out var error)
                ?? throw new IOException($"Cannot create {path}: errno {error}");
            if (Libc.Flock(descriptor, Libc.LockShared) != 0)
            {
                var flockError = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                descriptor.Dispose();
                throw new IOException($"flock {path}: errno {flockError}");
            }
            // A sweep may have taken it for a leftover between our create and our lock and unlinked it: make it again.
            var held = Libc.FileIdentity(descriptor);
            if (held is not null && held == Libc.FileIdentity(path)) return new TemporaryFile(descriptor, path);
            descriptor.Dispose();
        }
    }

    /// <summary>
    /// Removes <paramref name="path"/> when no process holds it; true when it did. A file in use is left alone,
    /// whoever's it is.
    /// </summary>
    public static bool RemoveIfAbandoned(string path)
    {
        using var descriptor = Libc.Open(path, Libc.ReadOnly, 0, out _);
        if (descriptor is null) return false; // gone meanwhile
        if (Libc.Flock(descriptor, Libc.LockExclusive | Libc.LockNonBlocking) != 0) return false;
        // Only the file we locked: its writer may have renamed it into place and another taken the name.
        if (Libc.FileIdentity(descriptor) != Libc.FileIdentity(path)) return false;
        File.Delete(path);
        return true;
    }

    /// <summary>Removes the file unless it was renamed into place, and lets it go.</summary>
    public void Dispose()
    {
        if (Libc.FileIdentity(descriptor) is { } held && held == Libc.FileIdentity(Path)) File.Delete(Path);
        descriptor.Dispose();
    }
}
