using Microsoft.Win32.SafeHandles;

namespace Nova.ComputeWorker.Images;

/// <summary>
/// An flock on a base file's lock file, so that processes on one host (several workers, or a worker restarted
/// while the old one drains) agree: a fetch holds it exclusively, every lease holds it shared, and a prune
/// removes a base only when it can take it exclusively at once.
/// </summary>
internal sealed class BaseFileLock : IDisposable
{
    // Contention across processes is rare (two workers fetching one image): polling keeps waiting off the thread pool.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly SafeFileHandle descriptor;

    private BaseFileLock(SafeFileHandle descriptor, string path)
    {
        this.descriptor = descriptor;
        Path = path;
    }

    public string Path { get; }

    public static async Task<BaseFileLock> Take(string path, bool exclusive, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTake(path, exclusive) is { } taken) return taken;
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>The lock, or null when another holder's lock conflicts.</summary>
    public static BaseFileLock? TryTake(string path, bool exclusive)
    {
        var operation = (exclusive ? Libc.LockExclusive : Libc.LockShared) | Libc.LockNonBlocking;
        while (true)
        {
            var descriptor = Libc.Open(path, Libc.ReadWrite | Libc.Create, 0b110_100_100 /* 0644 */, out var openError)
                ?? throw new IOException($"Cannot open lock file {path}: errno {openError}");
            if (Libc.Flock(descriptor, operation) != 0)
            {
                var error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                descriptor.Dispose();
                if (error == Libc.EINTR) continue;
                if (error == Libc.EWOULDBLOCK) return null;
                throw new IOException($"flock {path}: errno {error}");
            }
            // A prune that held the lock may have unlinked the file between our open and our flock; a lock on
            // an unlinked inode protects nothing, so start again with the file now at that path.
            var held = Libc.FileIdentity(descriptor);
            if (held is not null && held == Libc.FileIdentity(path)) return new BaseFileLock(descriptor, path);
            descriptor.Dispose();
        }
    }

    public void Dispose() => descriptor.Dispose();
}
