using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Nova.DiskImages;

namespace Nova.ComputeWorker.Images;

/// <summary>
/// This host's cache of images as raw base files, Nova's <c>&lt;instances&gt;/_base/&lt;sha1(image id)&gt;</c>.
/// Each image is fetched, checked with <c>qemu-img info</c> and converted to raw once per host, however many
/// builds ask for it at once; instance disks are qcow2 overlays on those bases.
/// </summary>
/// <remarks>
/// A base appears only by a rename after qemu-img has exited 0 (or, for a raw image, after an fsync), so a
/// crash never leaves a partial file under a base name. Usage is tracked twice: in this process (leases and
/// fetches in flight, under one monitor per base) and across processes (an flock per base), so that
/// <see cref="Prune"/> can never remove a base that a build is fetching or using — Nova's cache-cleanup race.
/// </remarks>
public sealed class ImageCache
{
    private const long GiB = 1L << 30;
    private static readonly string[] BootableFormats = ["raw", "qcow2"];

    private readonly QemuImg qemuImg;
    private readonly Func<string, bool> supportsDirectIo;
    private readonly ConcurrentDictionary<string, BaseEntry> entries = new();

    /// <param name="instancesDirectory">Nova's <c>instances_path</c>: instance folders and <c>_base</c> live here.</param>
    /// <param name="supportsDirectIo">Whether a directory accepts O_DIRECT; <see cref="DirectIoProbe.Supports"/> unless replaced.</param>
    public ImageCache(string instancesDirectory, QemuImg qemuImg, Func<string, bool>? supportsDirectIo = null)
    {
        InstancesDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(instancesDirectory));
        BaseDirectory = Path.Combine(InstancesDirectory, "_base");
        this.qemuImg = qemuImg;
        this.supportsDirectIo = supportsDirectIo ?? DirectIoProbe.Supports;
    }

    public string InstancesDirectory { get; }
    public string BaseDirectory { get; }

    /// <summary>Nova's base name: sha1 of the image id, in hex. SHA-1 names files here; it secures nothing.</summary>
    public static string BaseName(string imageId) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(imageId)));

    public string BasePath(string imageId) => Path.Combine(BaseDirectory, BaseName(imageId));

    /// <summary>
    /// The target cache mode of conversions into <c>_base</c> (the seed): <c>none</c> when the directory
    /// accepts O_DIRECT, else <c>writeback</c>. Probed each time, as Nova does: the mount may change.
    /// </summary>
    public QemuCacheMode ConversionCacheMode()
    {
        Directory.CreateDirectory(BaseDirectory);
        return supportsDirectIo(BaseDirectory) ? QemuCacheMode.None : QemuCacheMode.Writeback;
    }

    /// <summary>
    /// A lease on the image's base, fetching and converting it first when this host does not have it.
    /// Concurrent calls for one image share a single fetch; each caller's token only ends its own wait, and the
    /// fetch itself is cancelled once every caller waiting for it has given up.
    /// </summary>
    /// <param name="fetch">Writes the image's bytes into the stream (a temporary file in <c>_base</c>).</param>
    /// <exception cref="ImageRefusedException">The image failed the check; nothing is left in <c>_base</c>.</exception>
    /// <exception cref="QemuImgException">Conversion failed; nothing is left in <c>_base</c>.</exception>
    public async Task<CachedImage> Acquire(ImageRef image, Func<Stream, CancellationToken, Task> fetch,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(image.Id);
        if (!BootableFormats.Contains(image.DiskFormat))
            throw new ImageRefusedException(image.Id, ImageRefusal.UnsupportedFormat,
                $"disk_format '{image.DiskFormat}' is not one of {string.Join(", ", BootableFormats)}");

        var key = BaseName(image.Id);
        var basePath = Path.Combine(BaseDirectory, key);
        var entry = Enter(key);
        try
        {
            Directory.CreateDirectory(BaseDirectory);
            while (true)
            {
                if (!File.Exists(basePath)) await JoinFlight(entry, key, image, fetch, cancellationToken);
                var shared = await BaseFileLock.Take(LockPath(key), exclusive: false, cancellationToken);
                if (File.Exists(basePath))
                {
                    Touch(basePath);
                    return new CachedImage(this, image.Id, basePath, VirtualSize(new FileInfo(basePath).Length),
                        () => Leave(entry, basePath, shared));
                }
                // Another process on this host pruned it between the fetch and our lock: fetch it again.
                shared.Dispose();
            }
        }
        catch
        {
            lock (entry) entry.Users--;
            throw;
        }
    }

    /// <summary>
    /// Creates <c>&lt;instanceDirectory&gt;/disk</c>: a qcow2 overlay on the lease's base, sized to the flavor's
    /// root disk, or to the image's virtual size when <paramref name="rootGb"/> is 0. Disks never shrink below the
    /// image. Idempotent: an existing overlay on the same base is returned as it is (builds may be redelivered).
    /// </summary>
    /// <param name="instanceDirectory">Must be directly in the instances folder, where <see cref="Prune"/> looks
    /// for disks that depend on a base.</param>
    /// <exception cref="FlavorDiskTooSmallException">The flavor's root disk is smaller than the image.</exception>
    public async Task<InstanceDisk> CreateInstanceDisk(CachedImage lease, string instanceDirectory, int rootGb,
        CancellationToken cancellationToken = default, string fileName = InstanceDisk.Root)
    {
        if (!InstanceDisk.FileNames.Contains(fileName)) throw new ArgumentException($"{fileName} is not an instance disk name.", nameof(fileName));
        ObjectDisposedException.ThrowIf(lease.IsReleased, lease);
        if (lease.Cache != this) throw new ArgumentException("The lease belongs to another image cache.", nameof(lease));
        ArgumentOutOfRangeException.ThrowIfNegative(rootGb);
        var directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(instanceDirectory));
        if (Path.GetDirectoryName(directory) != InstancesDirectory || directory == BaseDirectory)
            throw new ArgumentException($"{instanceDirectory} is not an instance folder in {InstancesDirectory}.",
                nameof(instanceDirectory));

        var flavorBytes = rootGb * GiB;
        if (rootGb > 0 && flavorBytes < lease.VirtualSizeBytes)
            throw new FlavorDiskTooSmallException(flavorBytes, lease.VirtualSizeBytes);
        var size = Math.Max(flavorBytes, lease.VirtualSizeBytes);

        Directory.CreateDirectory(directory);
        var disk = Path.Combine(directory, fileName);
        if (File.Exists(disk))
        {
            var existing = await qemuImg.Info(disk, cancellationToken, forceShare: true);
            if (existing.Format == "qcow2" && BackingPath(existing, directory) == lease.BasePath)
                return new InstanceDisk(disk, lease.BasePath, existing.VirtualSize);
            throw new IOException($"{disk} exists and is not an overlay on {lease.BasePath}.");
        }

        // Created under a temporary name so that a crash never leaves a half-written `disk` to be reused.
        using (var creating = TemporaryFile.Create(Path.Combine(directory, $"{fileName}.{Guid.NewGuid():N}.creating")))
        {
            await qemuImg.CreateOverlay(lease.BasePath, "raw", creating.Path, size, cancellationToken);
            File.Move(creating.Path, disk, overwrite: false);
        }
        return new InstanceDisk(disk, lease.BasePath, size);
    }

    /// <summary>
    /// Nova's snapshot of an instance disk: the overlay and its base flattened into a standalone qcow2 at
    /// <paramref name="targetPath"/> (no backing file), written with the seed's cache rule for the target's folder
    /// (<c>none</c> where O_DIRECT works, else <c>writeback</c>). The disk must not be in use by a running guest.
    /// </summary>
    public Task Flatten(string diskPath, string targetPath, CancellationToken cancellationToken = default)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(targetPath))!;
        var mode = supportsDirectIo(folder) ? QemuCacheMode.None : QemuCacheMode.Writeback;
        return qemuImg.Convert(diskPath, "qcow2", targetPath, "qcow2", mode, cancellationToken);
    }

    /// <summary>
    /// Removes bases unused for longer than <paramref name="maxUnusedAge"/>, never one that a lease holds, that is
    /// being fetched (here or in another process), or that an instance disk in the instances folder is backed by
    /// (those are touched, as Nova does, so they age from the moment their last instance goes).
    /// Also removes temporaries that a dead process left behind (<see cref="RemoveAbandonedTemporaries"/>).
    /// </summary>
    /// <remarks>
    /// "Unused" is the base file's modification time, touched by every <see cref="Acquire"/> and every lease
    /// release, so it survives a restart of the worker.
    /// </remarks>
    public async Task<PruneResult> Prune(TimeSpan maxUnusedAge, CancellationToken cancellationToken = default)
    {
        var removedTemporaries = RemoveAbandonedTemporaries().ToList();
        if (!Directory.Exists(BaseDirectory)) return new PruneResult([], removedTemporaries, []);
        // An instance whose disk cannot be read is skipped, not allowed to stop the cache from ever being pruned.
        var (backingFiles, unreadable) = await BackingFilesOfInstanceDisks(cancellationToken);

        var removedBases = new List<string>();
        var keys = Directory.EnumerateFiles(BaseDirectory)
            .Select(path => Path.GetFileName(path))
            .Where(name => name.Length >= 40 && (name.Length == 40 || name[40] == '.') && IsLowerHex(name[..40]))
            .Select(name => name[..40])
            .Distinct()
            .ToList();
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            PruneBase(key, maxUnusedAge, backingFiles, removedBases);
        }
        return new PruneResult(removedBases, removedTemporaries, unreadable);
    }

    private void PruneBase(string key, TimeSpan maxUnusedAge, IReadOnlySet<string> backingFiles, List<string> removedBases)
    {
        var entry = entries.GetOrAdd(key, _ => new BaseEntry());
        // Under the entry's monitor an Acquire cannot begin using this base until the decision is carried out.
        lock (entry)
        {
            if (entry.Retired || entry.Users > 0 || entry.Flight is not null) return;
            // Fails at once while any process holds a lease on it or is fetching it.
            using var exclusive = BaseFileLock.TryTake(LockPath(key), exclusive: true);
            if (exclusive is null) return;

            var basePath = Path.Combine(BaseDirectory, key);
            if (File.Exists(basePath))
            {
                if (backingFiles.Contains(basePath))
                {
                    Touch(basePath);
                    return;
                }
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(basePath) <= maxUnusedAge) return;
                File.Delete(basePath);
                removedBases.Add(basePath);
            }
            // Unlinked while locked: anyone who opened the old file notices (BaseFileLock checks the inode) and retries.
            File.Delete(exclusive.Path);
            entry.Retired = true;
            entries.TryRemove(new KeyValuePair<string, BaseEntry>(key, entry));
        }
    }

    /// <summary>
    /// Removes the temporaries (downloads, conversions, overlays being created, snapshots being flattened) in
    /// <c>_base</c> and in the instance folders that no process on this host holds any more: what a crash left.
    /// One in use, here or in another process, is never touched. The worker runs it at start-up and in every prune.
    /// </summary>
    public IReadOnlyList<string> RemoveAbandonedTemporaries()
    {
        if (!Directory.Exists(InstancesDirectory)) return [];
        var removed = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories(InstancesDirectory).Prepend(InstancesDirectory))
        {
            IEnumerable<string> files;
            try { files = Directory.EnumerateFiles(directory).ToList(); }
            catch (DirectoryNotFoundException) { continue; } // an instance deleted meanwhile
            foreach (var file in files)
            {
                if (TemporaryFile.Endings.Any(ending => file.EndsWith(ending, StringComparison.Ordinal))
                    && TemporaryFile.RemoveIfAbandoned(file))
                    removed.Add(file);
            }
        }
        return removed;
    }

    private async Task<(IReadOnlySet<string> BackingFiles, List<string> Unreadable)> BackingFilesOfInstanceDisks(
        CancellationToken cancellationToken)
    {
        var backingFiles = new HashSet<string>(StringComparer.Ordinal);
        var unreadable = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories(InstancesDirectory))
        {
            if (directory == BaseDirectory) continue;
            foreach (var name in InstanceDisk.FileNames)
            {
                var disk = Path.Combine(directory, name);
                if (!File.Exists(disk)) continue;
                try
                {
                    // -U: the disk of a running guest is locked by its QEMU.
                    var info = await qemuImg.Info(disk, cancellationToken, forceShare: true);
                    if (BackingPath(info, directory) is { } backing) backingFiles.Add(backing);
                }
                catch (Exception e) when (e is QemuImgException or FormatException or IOException or UnauthorizedAccessException)
                {
                    unreadable.Add(disk);
                }
            }
        }
        return (backingFiles, unreadable);
    }

    private static string? BackingPath(QemuImageInfo info, string diskDirectory) =>
        info.BackingFilename is null
            ? null
            : Path.GetFullPath(info.FullBackingFilename ?? info.BackingFilename, diskDirectory);

    private BaseEntry Enter(string key)
    {
        while (true)
        {
            var entry = entries.GetOrAdd(key, _ => new BaseEntry());
            lock (entry)
            {
                // A retired entry was pruned and dropped from the dictionary; the next GetOrAdd makes a fresh one.
                if (entry.Retired) continue;
                entry.Users++;
                return entry;
            }
        }
    }

    private static void Leave(BaseEntry entry, string basePath, BaseFileLock shared)
    {
        // Touched before the lock goes, so that no prune sees it unlocked with the old time.
        Touch(basePath);
        shared.Dispose();
        lock (entry) entry.Users--;
    }

    private async Task JoinFlight(BaseEntry entry, string key, ImageRef image,
        Func<Stream, CancellationToken, Task> fetch, CancellationToken cancellationToken)
    {
        Flight flight;
        lock (entry)
        {
            if (entry.Flight is null)
            {
                var started = new Flight();
                entry.Flight = started;
                started.Task = Task.Run(() => Fly(entry, started, key, image, fetch), CancellationToken.None);
                // An abandoned flight's failure has no one left to read it; observe it here.
                started.Task.ContinueWith(task => _ = task.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
            flight = entry.Flight;
            flight.Waiters++;
        }
        try
        {
            await flight.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !flight.Task.IsCompleted)
        {
            lock (entry)
            {
                if (--flight.Waiters == 0)
                {
                    // Nobody wants it any more. A later Acquire starts a new flight, which waits (entry.Serial)
                    // until this one has cleaned up.
                    flight.Cancellation.Cancel();
                    if (entry.Flight == flight) entry.Flight = null;
                }
            }
            throw;
        }
    }

    private async Task Fly(BaseEntry entry, Flight flight, string key, ImageRef image,
        Func<Stream, CancellationToken, Task> fetch)
    {
        var cancellationToken = flight.Cancellation.Token;
        try
        {
            await entry.Serial.WaitAsync(cancellationToken);
            try
            {
                using var exclusive = await BaseFileLock.Take(LockPath(key), exclusive: true, cancellationToken);
                // Another process on this host may have made it while we waited for the lock.
                if (File.Exists(Path.Combine(BaseDirectory, key))) return;
                try
                {
                    await Populate(key, image, fetch, cancellationToken);
                }
                catch
                {
                    // A refused or failed image leaves nothing in _base, its lock file included (safe to unlink
                    // while held exclusively: BaseFileLock notices a replaced file).
                    File.Delete(exclusive.Path);
                    throw;
                }
            }
            finally
            {
                entry.Serial.Release();
            }
        }
        finally
        {
            lock (entry)
                if (entry.Flight == flight) entry.Flight = null;
        }
    }

    /// <summary>Fetch → check → convert (or, for raw, fsync) → rename. The caller holds the base's exclusive lock.</summary>
    private async Task Populate(string key, ImageRef image, Func<Stream, CancellationToken, Task> fetch,
        CancellationToken cancellationToken)
    {
        var basePath = Path.Combine(BaseDirectory, key);
        // Held until they are renamed into place or removed, so a sweep never takes them for a crash's leftovers.
        using var fetched = TemporaryFile.Create(Path.Combine(BaseDirectory, $"{key}.{Guid.NewGuid():N}.part"));
        using var converted = TemporaryFile.Create(Path.Combine(BaseDirectory, $"{key}.{Guid.NewGuid():N}.converting"));
        // FileShare.Read: .NET's shared flock, alongside the one the temporary file holds.
        await using (var stream = new FileStream(fetched.Path, FileMode.Open, FileAccess.Write, FileShare.Read,
                         bufferSize: 1 << 20, FileOptions.Asynchronous))
        {
            await fetch(stream, cancellationToken);
        }
        cancellationToken.ThrowIfCancellationRequested();

        var info = await Check(image, fetched.Path, cancellationToken);
        if (info.Format == "raw")
        {
            // No qemu-img to flush it for us: without this a crash right after the rename could leave a
            // base with missing data.
            FlushToDisk(fetched.Path);
            File.Move(fetched.Path, basePath, overwrite: true);
        }
        else
        {
            // -f from the check, never probed again; both cache modes flush before qemu-img exits 0.
            await qemuImg.Convert(fetched.Path, info.Format, converted.Path, "raw", ConversionCacheMode(), cancellationToken);
            File.Move(converted.Path, basePath, overwrite: true);
        }
        FlushDirectory(BaseDirectory);
    }

    private async Task<QemuImageInfo> Check(ImageRef image, string path, CancellationToken cancellationToken)
    {
        QemuImageInfo info;
        try
        {
            info = await qemuImg.Info(path, cancellationToken);
        }
        catch (QemuImgException e) when (!e.TimedOut)
        {
            throw new ImageRefusedException(image.Id, ImageRefusal.NotAnImage, e.StandardError.Trim());
        }
        catch (FormatException e)
        {
            throw new ImageRefusedException(image.Id, ImageRefusal.NotAnImage, e.Message);
        }

        if (info.RefusalFor(image.DiskFormat) is { } refusal)
            throw new ImageRefusedException(image.Id, refusal.Reason, refusal.Detail);
        return info;
    }

    /// <summary>A raw file's size as QEMU sees it: whole 512-byte sectors.</summary>
    private static long VirtualSize(long rawLength) => (rawLength + 511) & ~511L;

    private string LockPath(string key) => Path.Combine(BaseDirectory, key + ".lock");

    private static bool IsLowerHex(string text) => text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private static void Touch(string path)
    {
        try { File.SetLastWriteTimeUtc(path, DateTime.UtcNow); }
        catch (FileNotFoundException) { /* pruned by another process; its lease check decides, not us */ }
    }

    private static void FlushToDisk(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        if (Libc.Fsync(handle) != 0)
            throw new IOException($"fsync {path}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Makes a rename in the directory durable.</summary>
    private static void FlushDirectory(string directory)
    {
        using var handle = Libc.Open(directory, Libc.ReadOnly | Libc.Directory, 0, out var error)
            ?? throw new IOException($"open {directory}: errno {error}");
        if (Libc.Fsync(handle) != 0)
            throw new IOException($"fsync {directory}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    /// <summary>This process's view of one base; its monitor orders Acquire against Prune.</summary>
    private sealed class BaseEntry
    {
        public int Users;
        public Flight? Flight;
        public bool Retired;
        /// <summary>One fetch at a time, even when an abandoned one is still cleaning up.</summary>
        public readonly SemaphoreSlim Serial = new(1, 1);
    }

    /// <summary>One fetch + check + conversion that every concurrent Acquire of the image awaits.</summary>
    private sealed class Flight
    {
        public Task Task = Task.CompletedTask;
        public int Waiters;
        public readonly CancellationTokenSource Cancellation = new();
    }
}
