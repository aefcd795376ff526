using System.Diagnostics;
using Nova.ComputeWorker.Images.Tests.Support;
using Nova.DiskImages;
using static Nova.ComputeWorker.Images.Tests.Support.TestImages;

namespace Nova.ComputeWorker.Images.Tests;

public sealed class QemuImgTests : IDisposable
{
    private readonly Scratch scratch = new();
    private readonly QemuImg qemuImg = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public async Task Info_reads_format_and_sizes_of_a_qcow2_holding_data()
    {
        var image = Qcow2(scratch.File("a.qcow2"), 4 * MiB);

        var info = await qemuImg.Info(image);

        Assert.Equal("qcow2", info.Format);
        Assert.Equal(4 * MiB, info.VirtualSize);
        Assert.Equal(65536, info.ClusterSize);
        // 1 MiB of data was written, so the file holds at least that much beyond its metadata.
        Assert.InRange(info.ActualSize!.Value, MiB, 4 * MiB);
        Assert.False(info.HasBackingFile);
        Assert.Null(info.BackingFormat);
        Assert.Null(info.DataFile);
        Assert.False(info.Encrypted);
    }

    [Fact]
    public async Task Info_reads_the_backing_file_and_its_format_of_an_overlay()
    {
        var baseImage = Raw(scratch.File("base.raw"), 2 * MiB);
        var overlay = Qcow2WithBackingFile(scratch.File("overlay.qcow2"), baseImage, 8 * MiB);

        var info = await qemuImg.Info(overlay);

        Assert.True(info.HasBackingFile);
        Assert.Equal(baseImage, info.BackingFilename);
        Assert.Equal(baseImage, info.FullBackingFilename);
        Assert.Equal("raw", info.BackingFormat);
        Assert.Equal(8 * MiB, info.VirtualSize);
    }

    [Fact]
    public async Task Info_detects_raw_for_bytes_that_are_no_known_format()
    {
        var path = scratch.File("garbage");
        await File.WriteAllBytesAsync(path, Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray());

        var info = await qemuImg.Info(path);

        Assert.Equal("raw", info.Format);
        // qemu-img rounds a raw image up to whole 512-byte sectors.
        Assert.Equal(5120, info.VirtualSize);
    }

    [Fact]
    public async Task Info_with_a_format_that_does_not_fit_fails_with_qemu_imgs_message()
    {
        var path = scratch.File("garbage");
        await File.WriteAllBytesAsync(path, new byte[5000]);

        var error = await Assert.ThrowsAsync<QemuImgException>(() => qemuImg.Info(path, format: "qcow2"));

        Assert.Equal(1, error.ExitCode);
        Assert.False(error.TimedOut);
        Assert.Contains("not in qcow2 format", error.StandardError);
        Assert.Contains("not in qcow2 format", error.Message);
    }

    [Fact]
    public async Task Info_of_a_missing_file_fails_with_qemu_imgs_message()
    {
        var error = await Assert.ThrowsAsync<QemuImgException>(() => qemuImg.Info(scratch.File("missing")));

        Assert.Contains("No such file", error.StandardError);
        Assert.Equal("qemu-img", error.Arguments[0]);
        Assert.Contains("info", error.Arguments);
    }

    [Theory]
    [InlineData(QemuCacheMode.None)]
    [InlineData(QemuCacheMode.Writeback)]
    public async Task Convert_of_a_qcow2_to_raw_keeps_the_content(QemuCacheMode cacheMode)
    {
        var source = Qcow2(scratch.File("a.qcow2"), 4 * MiB, pattern: 0xab);
        var target = scratch.File("a.raw");

        await qemuImg.Convert(source, "qcow2", target, "raw", cacheMode);

        var info = await qemuImg.Info(target);
        Assert.Equal("raw", info.Format);
        Assert.Equal(4 * MiB, new FileInfo(target).Length);
        Assert.Equal(0, Compare(source, target));
        Assert.True(Holds(target, "raw", 0xab, 0, MiB));
        Assert.True(Holds(target, "raw", 0x00, MiB, 3 * MiB));
    }

    [Fact]
    public async Task Compare_tells_different_images_apart()
    {
        // Guards the tests that rely on qemu-img compare: it must fail when the content differs.
        var first = Qcow2(scratch.File("a.qcow2"), 4 * MiB, pattern: 0xab);
        var second = Qcow2(scratch.File("b.qcow2"), 4 * MiB, pattern: 0xcd);
        var converted = scratch.File("a.raw");
        await qemuImg.Convert(first, "qcow2", converted, "raw", QemuCacheMode.Writeback);

        Assert.NotEqual(0, Compare(second, converted));
        Assert.False(Holds(converted, "raw", 0xcd, 0, MiB));
    }

    [Fact]
    public async Task Convert_of_an_image_that_breaks_halfway_fails_with_qemu_imgs_message()
    {
        var source = Qcow2CorruptHalfway(scratch.File("broken.qcow2"));

        var error = await Assert.ThrowsAsync<QemuImgException>(() =>
            qemuImg.Convert(source, "qcow2", scratch.File("broken.raw"), "raw", QemuCacheMode.None));

        Assert.Equal(1, error.ExitCode);
        Assert.Contains("Input/output error", error.StandardError);
    }

    [Fact]
    public async Task CreateOverlay_makes_a_qcow2_backed_by_the_raw_base_with_the_requested_size()
    {
        var baseImage = Raw(scratch.File("base.raw"), 2 * MiB, pattern: 0x5a);
        var overlay = scratch.File("disk");

        await qemuImg.CreateOverlay(baseImage, "raw", overlay, 64 * MiB);

        var info = await qemuImg.Info(overlay);
        Assert.Equal("qcow2", info.Format);
        Assert.Equal(baseImage, info.BackingFilename);
        Assert.Equal("raw", info.BackingFormat);
        Assert.Equal(64 * MiB, info.VirtualSize);
        Assert.True(Holds(overlay, "qcow2", 0x5a, 0, MiB));
    }

    [Fact]
    public async Task A_qemu_img_that_runs_past_its_limit_is_killed_and_reported_as_timed_out()
    {
        var pidFile = scratch.File("pid");
        var hanging = SleepingQemuImg(pidFile);
        var slow = new QemuImg(hanging, metadataTimeout: TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<QemuImgException>(() => slow.CreateOverlay("base", "raw", "disk", MiB));

        Assert.True(error.TimedOut);
        Assert.Null(error.ExitCode);
        Assert.False(IsRunning(int.Parse(File.ReadAllText(pidFile).Trim())));
    }

    [Fact]
    public async Task Cancelling_kills_qemu_img_and_throws_OperationCanceledException()
    {
        var pidFile = scratch.File("pid");
        var hanging = SleepingQemuImg(pidFile);
        var runner = new QemuImg(hanging);
        using var cancellation = new CancellationTokenSource();

        var convert = runner.Convert("a", "qcow2", "b", "raw", QemuCacheMode.None, cancellation.Token);
        while (!File.Exists(pidFile) || File.ReadAllText(pidFile).Trim().Length == 0) await Task.Delay(10);
        var pid = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.True(IsRunning(pid));
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => convert);
        Assert.False(IsRunning(pid));
    }

    private string SleepingQemuImg(string pidFile)
    {
        var path = scratch.File("qemu-img-hangs");
        File.WriteAllText(path, $"#!/bin/sh\necho $$ > '{pidFile}.tmp'; mv '{pidFile}.tmp' '{pidFile}'\nexec sleep 600\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
