using Nova.ComputeWorker.Images.Tests.Support;
using Nova.DiskImages;
using static Nova.ComputeWorker.Images.Tests.Support.TestImages;

namespace Nova.ComputeWorker.Images.Tests;

public sealed class InstanceDiskTests : IDisposable
{
    private const long GiB = 1L << 30;

    private readonly Scratch scratch = new();
    private readonly string instances;
    private readonly ImageCache cache;
    private readonly QemuImg qemuImg = new();

    public InstanceDiskTests()
    {
        instances = scratch.Folder("instances");
        cache = new ImageCache(instances, qemuImg);
    }

    public void Dispose() => scratch.Dispose();

    private string InstanceFolder(string name = "5d3f0c2e-8d41-4b7a-9c1e-2f6a7b8c9d0e") => Path.Combine(instances, name);

    private Task<CachedImage> Cached(long virtualSize, byte pattern = 0xab) =>
        cache.Acquire(new ImageRef($"img-{virtualSize}", "qcow2"),
            new ImageSource(Qcow2(scratch.File($"{virtualSize}.qcow2"), virtualSize, pattern)).Fetch);

    [Fact]
    public async Task The_disk_is_a_qcow2_overlay_on_the_raw_base_sized_to_the_flavor()
    {
        await using var lease = await Cached(4 * MiB, pattern: 0xab);

        var disk = await cache.CreateInstanceDisk(lease, InstanceFolder(), rootGb: 1);

        Assert.Equal(Path.Combine(InstanceFolder(), "disk"), disk.Path);
        var info = await qemuImg.Info(disk.Path);
        Assert.Equal("qcow2", info.Format);
        Assert.Equal(lease.BasePath, info.BackingFilename);
        Assert.Equal("raw", info.BackingFormat);
        Assert.Equal(1 * GiB, info.VirtualSize);
        Assert.Equal(1 * GiB, disk.VirtualSizeBytes);
        Assert.True(Holds(disk.Path, "qcow2", 0xab, 0, MiB), "the guest sees the image's data through the overlay");
        Assert.Equal(["disk"], Directory.EnumerateFiles(InstanceFolder()).Select(path => Path.GetFileName(path)));
    }

    [Fact]
    public async Task A_root_disk_of_zero_means_the_images_virtual_size()
    {
        await using var lease = await Cached(12 * MiB);

        var disk = await cache.CreateInstanceDisk(lease, InstanceFolder(), rootGb: 0);

        Assert.Equal(12 * MiB, (await qemuImg.Info(disk.Path)).VirtualSize);
    }

    [Fact]
    public async Task A_flavor_disk_smaller_than_the_image_is_an_error_and_creates_no_disk()
    {
        await using var lease = await Cached(2 * GiB);

        var error = await Assert.ThrowsAsync<FlavorDiskTooSmallException>(() =>
            cache.CreateInstanceDisk(lease, InstanceFolder(), rootGb: 1));

        Assert.StartsWith("Flavor's disk is too small for requested image", error.Message);
        Assert.Equal(1 * GiB, error.FlavorSizeBytes);
        Assert.Equal(2 * GiB, error.ImageSizeBytes);
        Assert.False(File.Exists(Path.Combine(InstanceFolder(), "disk")));
    }

    [Fact]
    public async Task A_flavor_disk_equal_to_the_image_is_enough()
    {
        await using var lease = await Cached(1 * GiB);

        var disk = await cache.CreateInstanceDisk(lease, InstanceFolder(), rootGb: 1);

        Assert.Equal(1 * GiB, (await qemuImg.Info(disk.Path)).VirtualSize);
    }

    [Fact]
    public async Task Creating_the_disk_again_returns_the_existing_overlay_unchanged()
    {
        await using var lease = await Cached(4 * MiB);
        var first = await cache.CreateInstanceDisk(lease, InstanceFolder(), rootGb: 1);
        Run("qemu-io", "-f", "qcow2", "-c", "write -P 0xee 0 4096", first.Path);

        var second = await cache.CreateInstanceDisk(lease, InstanceFolder(), rootGb: 1);

        Assert.Equal(first, second);
        Assert.True(Holds(second.Path, "qcow2", 0xee, 0, 4096), "the guest's writes survive a redelivered build");
    }

    [Fact]
    public async Task An_existing_disk_on_another_base_is_not_overwritten()
    {
        await using var lease = await Cached(4 * MiB);
        Directory.CreateDirectory(InstanceFolder());
        var foreign = Qcow2(Path.Combine(InstanceFolder(), "disk"), 8 * MiB, pattern: 0x11);

        await Assert.ThrowsAsync<IOException>(() => cache.CreateInstanceDisk(lease, InstanceFolder(), rootGb: 1));

        Assert.True(Holds(foreign, "qcow2", 0x11, 0, MiB));
    }

    [Fact]
    public async Task An_instance_folder_outside_the_instances_folder_is_refused()
    {
        await using var lease = await Cached(4 * MiB);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            cache.CreateInstanceDisk(lease, scratch.Folder("elsewhere/vm"), rootGb: 1));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            cache.CreateInstanceDisk(lease, cache.BaseDirectory, rootGb: 1));
    }

    [Fact]
    public async Task A_released_lease_cannot_create_a_disk()
    {
        var lease = await Cached(4 * MiB);
        await lease.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => cache.CreateInstanceDisk(lease, InstanceFolder(), 1));
        Assert.False(Directory.Exists(InstanceFolder()));
    }
}
