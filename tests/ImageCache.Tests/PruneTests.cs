using Nova.ComputeWorker.Images.Tests.Support;
using Nova.DiskImages;
using static Nova.ComputeWorker.Images.Tests.Support.TestImages;

namespace Nova.ComputeWorker.Images.Tests;

public sealed class PruneTests : IDisposable
{
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    private readonly Scratch scratch = new();
    private readonly string instances;
    private readonly ImageCache cache;
    private readonly ImageSource source;
    private readonly ImageRef image = new("img-1", "qcow2");

    public PruneTests()
    {
        instances = scratch.Folder("instances");
        cache = new ImageCache(instances, new QemuImg());
        source = new ImageSource(Qcow2(scratch.File("a.qcow2"), 4 * MiB, pattern: 0x61));
    }

    public void Dispose() => scratch.Dispose();

    private static void LastUsed(string basePath, TimeSpan ago) =>
        File.SetLastWriteTimeUtc(basePath, DateTime.UtcNow - ago);

    [Fact]
    public async Task A_base_unused_for_longer_than_the_age_is_removed_and_fetched_again_when_needed()
    {
        var lease = await cache.Acquire(image, source.Fetch);
        var basePath = lease.BasePath;
        await lease.DisposeAsync();
        LastUsed(basePath, 2 * OneDay);

        var result = await cache.Prune(OneDay);

        Assert.Equal([basePath], result.RemovedBases);
        Assert.False(File.Exists(basePath));
        Assert.Empty(Directory.EnumerateFiles(cache.BaseDirectory));
        await using var again = await cache.Acquire(image, source.Fetch);
        Assert.Equal(2, source.Fetches);
        Assert.True(Holds(again.BasePath, "raw", 0x61, 0, MiB));
    }

    [Fact]
    public async Task A_base_used_more_recently_than_the_age_is_kept()
    {
        var lease = await cache.Acquire(image, source.Fetch);
        await lease.DisposeAsync();
        LastUsed(lease.BasePath, TimeSpan.FromHours(2));

        var result = await cache.Prune(OneDay);

        Assert.Empty(result.RemovedBases);
        Assert.True(File.Exists(lease.BasePath));
    }

    [Fact]
    public async Task Releasing_a_lease_counts_as_use()
    {
        var lease = await cache.Acquire(image, source.Fetch);
        LastUsed(lease.BasePath, 2 * OneDay);

        await lease.DisposeAsync();
        var result = await cache.Prune(OneDay);

        Assert.Empty(result.RemovedBases);
        Assert.True(File.Exists(lease.BasePath));
    }

    [Fact]
    public async Task A_base_with_a_live_lease_is_kept_whatever_its_age()
    {
        await using var lease = await cache.Acquire(image, source.Fetch);
        LastUsed(lease.BasePath, 30 * OneDay);

        var result = await cache.Prune(TimeSpan.Zero);

        Assert.Empty(result.RemovedBases);
        Assert.True(File.Exists(lease.BasePath));
        Assert.True(Holds(lease.BasePath, "raw", 0x61, 0, MiB));
    }

    [Fact]
    public async Task A_lease_held_by_another_process_on_the_host_keeps_the_base()
    {
        // A second cache on the same folder shares nothing in memory with the first: only the file lock
        // tells it about the lease, as it would tell another worker process.
        var otherProcess = new ImageCache(instances, new QemuImg());
        var lease = await cache.Acquire(image, source.Fetch);
        LastUsed(lease.BasePath, 30 * OneDay);

        var whileLeased = await otherProcess.Prune(TimeSpan.Zero);
        await lease.DisposeAsync();
        LastUsed(lease.BasePath, 30 * OneDay);
        var afterRelease = await otherProcess.Prune(OneDay);

        Assert.Empty(whileLeased.RemovedBases);
        Assert.Equal([lease.BasePath], afterRelease.RemovedBases);
    }

    [Fact]
    public async Task An_image_being_fetched_is_left_alone_and_becomes_a_base_afterwards()
    {
        source.Hold();
        var build = cache.Acquire(image, source.Fetch);
        await source.Started;
        var partial = Assert.Single(Directory.EnumerateFiles(cache.BaseDirectory, "*.part"));

        var here = await cache.Prune(TimeSpan.Zero);
        var elsewhere = await new ImageCache(instances, new QemuImg()).Prune(TimeSpan.Zero);

        Assert.Empty(here.RemovedTemporaries);
        Assert.Empty(elsewhere.RemovedTemporaries);
        Assert.True(File.Exists(partial));
        source.Release();
        await using var lease = await build;
        Assert.Equal(1, source.Fetches);
        Assert.True(Holds(lease.BasePath, "raw", 0x61, 0, MiB));
    }

    [Fact]
    public async Task A_base_that_an_instance_disk_is_backed_by_is_kept_until_the_instance_is_gone()
    {
        var instanceFolder = Path.Combine(instances, "2c1b8e5e-0d7e-4f4e-9d55-3d0a6c4f9a11");
        string basePath;
        await using (var lease = await cache.Acquire(image, source.Fetch))
        {
            await cache.CreateInstanceDisk(lease, instanceFolder, rootGb: 1);
            basePath = lease.BasePath;
        }
        LastUsed(basePath, 30 * OneDay);

        var whileInstanceExists = await cache.Prune(OneDay);
        var touched = File.GetLastWriteTimeUtc(basePath);
        Directory.Delete(instanceFolder, recursive: true);
        var afterTouch = await cache.Prune(OneDay);
        LastUsed(basePath, 2 * OneDay);
        var afterAge = await cache.Prune(OneDay);

        Assert.Empty(whileInstanceExists.RemovedBases);
        Assert.True(DateTime.UtcNow - touched < OneDay, "an in-use base is touched, so it ages from its last use");
        Assert.Empty(afterTouch.RemovedBases);
        Assert.Equal([basePath], afterAge.RemovedBases);
    }

    [Fact]
    public async Task A_rescue_disk_keeps_its_base_while_the_instance_is_rescued()
    {
        var instanceFolder = Path.Combine(instances, "7d6e5f4a-3b2c-4d1e-8f9a-0b1c2d3e4f5a");
        var rescueImage = new ImageRef("rescue-img", "qcow2");
        string basePath;
        await using (var lease = await cache.Acquire(rescueImage, source.Fetch))
        {
            var disk = await cache.CreateInstanceDisk(lease, instanceFolder, rootGb: 0, fileName: InstanceDisk.Rescue);
            Assert.Equal(Path.Combine(instanceFolder, "disk.rescue"), disk.Path);
            basePath = lease.BasePath;
        }
        LastUsed(basePath, 30 * OneDay);

        var whileRescued = await cache.Prune(OneDay);
        File.Delete(Path.Combine(instanceFolder, "disk.rescue"));
        LastUsed(basePath, 2 * OneDay);
        var afterUnrescue = await cache.Prune(OneDay);

        Assert.Empty(whileRescued.RemovedBases);
        Assert.Equal([basePath], afterUnrescue.RemovedBases);
    }

    [Fact]
    public async Task Only_instance_disk_names_are_created()
    {
        await using var lease = await cache.Acquire(image, source.Fetch);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            cache.CreateInstanceDisk(lease, Path.Combine(instances, Guid.NewGuid().ToString()), rootGb: 1, fileName: "../escape"));
    }

    [Fact]
    public async Task An_unreadable_instance_disk_is_skipped_and_the_rest_of_the_cache_is_still_pruned()
    {
        var lease = await cache.Acquire(image, source.Fetch);
        await lease.DisposeAsync();
        LastUsed(lease.BasePath, 30 * OneDay);
        var keptFolder = Path.Combine(instances, "0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b");
        string keptBase;
        await using (var used = await cache.Acquire(new ImageRef("img-2", "qcow2"), source.Fetch))
        {
            await cache.CreateInstanceDisk(used, keptFolder, rootGb: 1);
            keptBase = used.BasePath;
        }
        LastUsed(keptBase, 30 * OneDay);
        var broken = Path.Combine(scratch.Folder("instances/broken-instance"), "disk");
        // qcow2 magic with a version qemu-img does not know: it names no backing file qemu-img could read.
        await File.WriteAllBytesAsync(broken, [0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 9, 1, 2, 3]);

        var result = await cache.Prune(OneDay);

        Assert.Equal([broken], result.UnreadableDisks);
        Assert.Equal([lease.BasePath], result.RemovedBases);
        Assert.False(File.Exists(lease.BasePath));
        Assert.True(File.Exists(keptBase), "a readable instance disk still keeps its base");
    }

    [Fact]
    public async Task Temporaries_left_by_a_dead_process_are_removed_from_the_cache_and_the_instance_folders()
    {
        Directory.CreateDirectory(cache.BaseDirectory);
        var key = ImageCache.BaseName("crashed");
        var fetched = Path.Combine(cache.BaseDirectory, $"{key}.0123456789abcdef0123456789abcdef.part");
        var converted = Path.Combine(cache.BaseDirectory, $"{key}.fedcba9876543210fedcba9876543210.converting");
        await File.WriteAllBytesAsync(fetched, new byte[8192]);
        await File.WriteAllBytesAsync(converted, new byte[4096]);
        var unrelated = Path.Combine(cache.BaseDirectory, "README");
        await File.WriteAllTextAsync(unrelated, "operator's note");
        var instance = scratch.Folder("instances/4b3a2918-0716-4e5d-8c3b-2a1908f7e6d5");
        var overlay = Path.Combine(instance, "disk.00112233445566778899aabbccddeeff.creating");
        var snapshot = Path.Combine(instance, "snapshot.ffeeddccbbaa99887766554433221100.part");
        var definition = Path.Combine(instance, "unrescue.xml.0f1e2d3c4b5a69788796a5b4c3d2e1f0.creating");
        foreach (var leftover in new[] { overlay, snapshot, definition }) await File.WriteAllBytesAsync(leftover, new byte[512]);
        var console = Path.Combine(instance, "console.log");
        await File.WriteAllTextAsync(console, "boot");

        var result = await cache.Prune(OneDay);

        Assert.Equal(new[] { fetched, converted, overlay, snapshot, definition }.Order(StringComparer.Ordinal),
            result.RemovedTemporaries.Order(StringComparer.Ordinal));
        Assert.Equal([unrelated], Directory.EnumerateFiles(cache.BaseDirectory));
        Assert.Equal([console], Directory.EnumerateFiles(instance));
    }

    [Fact]
    public async Task A_temporary_that_another_process_holds_is_left_alone_until_that_process_ends()
    {
        var instance = scratch.Folder("instances/5c4b3a29-1807-4f6e-9d4c-3b2a1908f7e6");
        var overlay = Path.Combine(instance, "disk.8899aabbccddeeff0011223344556677.creating");
        await File.WriteAllBytesAsync(overlay, new byte[512]);
        // Another worker on the host, still writing it: holds the shared flock a writer holds.
        using var writer = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
            "flock", ["--shared", "--close", overlay, "-c", "echo held; exec sleep 600"]) { RedirectStandardOutput = true })!;
        Assert.Equal("held", await writer.StandardOutput.ReadLineAsync());

        var whileHeld = cache.RemoveAbandonedTemporaries();
        // --close: only flock itself holds the lock (not its command), so the writer has ended once flock has.
        writer.Kill();
        await writer.WaitForExitAsync();
        var afterwards = cache.RemoveAbandonedTemporaries();

        Assert.Empty(whileHeld);
        Assert.Equal([overlay], afterwards);
        Assert.False(File.Exists(overlay));
    }
}
