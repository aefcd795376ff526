using System.Security.Cryptography;
using System.Text;
using Nova.ComputeWorker.Images.Tests.Support;
using Nova.DiskImages;
using static Nova.ComputeWorker.Images.Tests.Support.TestImages;

namespace Nova.ComputeWorker.Images.Tests;

public sealed class ImageCacheTests : IDisposable
{
    private readonly Scratch scratch = new();
    private readonly string instances;

    public ImageCacheTests() => instances = scratch.Folder("instances");

    public void Dispose() => scratch.Dispose();

    private string BaseFolder => Path.Combine(instances, "_base");

    private IReadOnlyList<string> BaseFolderFiles() =>
        Directory.Exists(BaseFolder)
            ? Directory.EnumerateFiles(BaseFolder).Select(path => Path.GetFileName(path)).Order().ToList()
            : [];

    [Fact]
    public void The_base_name_is_the_sha1_of_the_image_id_in_hex_as_in_Nova()
    {
        var id = "9f5c7e35-2a6b-4c8e-b3a4-3b4b1d7c1f00";
        var cache = new ImageCache(instances, new QemuImg());

        Assert.Equal("a9993e364706816aba3e25717850c26c9cd0d89d", ImageCache.BaseName("abc"));
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(id))), ImageCache.BaseName(id));
        Assert.Equal(Path.Combine(instances, "_base", ImageCache.BaseName(id)), cache.BasePath(id));
    }

    [Fact]
    public async Task A_qcow2_image_becomes_a_raw_base_with_the_same_content_and_no_leftovers()
    {
        var image = Qcow2(scratch.File("cirros.qcow2"), 4 * MiB, pattern: 0xab);
        var cache = new ImageCache(instances, new QemuImg());
        var source = new ImageSource(image);

        await using var lease = await cache.Acquire(new ImageRef("img-1", "qcow2"), source.Fetch);

        Assert.Equal(cache.BasePath("img-1"), lease.BasePath);
        Assert.Equal(4 * MiB, lease.VirtualSizeBytes);
        Assert.Equal("raw", (await new QemuImg().Info(lease.BasePath)).Format);
        Assert.Equal(0, Compare(image, lease.BasePath));
        Assert.True(Holds(lease.BasePath, "raw", 0xab, 0, MiB));
        Assert.Equal([ImageCache.BaseName("img-1"), ImageCache.BaseName("img-1") + ".lock"], BaseFolderFiles());
        Assert.Equal(1, source.Fetches);
    }

    [Fact]
    public async Task A_cached_image_is_not_fetched_again()
    {
        var source = new ImageSource(Qcow2(scratch.File("a.qcow2"), 4 * MiB));
        var qemuImg = new RecordingQemuImg(scratch);
        var cache = new ImageCache(instances, qemuImg.QemuImg);

        var first = await cache.Acquire(new ImageRef("img-1", "qcow2"), source.Fetch);
        first.Dispose();
        await using var second = await cache.Acquire(new ImageRef("img-1", "qcow2"), source.Fetch);

        Assert.Equal(first.BasePath, second.BasePath);
        Assert.Equal(1, source.Fetches);
        Assert.Single(qemuImg.Conversions());
    }

    [Fact]
    public async Task On_a_folder_that_accepts_O_DIRECT_the_conversion_uses_cache_mode_none()
    {
        var source = new ImageSource(Qcow2(scratch.File("a.qcow2"), 4 * MiB));
        var qemuImg = new RecordingQemuImg(scratch);
        // The real probe: /tmp is ext4 here.
        var cache = new ImageCache(instances, qemuImg.QemuImg);

        await using var lease = await cache.Acquire(new ImageRef("img-1", "qcow2"), source.Fetch);

        Assert.Equal(QemuCacheMode.None, cache.ConversionCacheMode());
        var conversion = Assert.Single(qemuImg.Conversions());
        Assert.StartsWith("convert -t none -f qcow2 -O raw ", conversion);
        Assert.DoesNotContain("writethrough", string.Join('\n', qemuImg.Invocations()));
    }

    [Fact]
    public async Task Without_O_DIRECT_the_conversion_uses_writeback_never_writethrough()
    {
        var source = new ImageSource(Qcow2(scratch.File("a.qcow2"), 4 * MiB, pattern: 0x3c));
        var qemuImg = new RecordingQemuImg(scratch);
        var probed = new List<string>();
        var cache = new ImageCache(instances, qemuImg.QemuImg, directory => { probed.Add(directory); return false; });

        await using var lease = await cache.Acquire(new ImageRef("img-1", "qcow2"), source.Fetch);

        Assert.Equal(QemuCacheMode.Writeback, cache.ConversionCacheMode());
        Assert.Contains(BaseFolder, probed);
        var conversion = Assert.Single(qemuImg.Conversions());
        Assert.StartsWith("convert -t writeback -f qcow2 -O raw ", conversion);
        Assert.True(Holds(lease.BasePath, "raw", 0x3c, 0, MiB));
    }

    [Fact]
    public async Task A_raw_image_is_renamed_into_place_without_a_conversion()
    {
        var image = Raw(scratch.File("a.raw"), 3 * MiB, pattern: 0x77);
        var qemuImg = new RecordingQemuImg(scratch);
        var cache = new ImageCache(instances, qemuImg.QemuImg);

        await using var lease = await cache.Acquire(new ImageRef("img-raw", "raw"), new ImageSource(image).Fetch);

        Assert.Empty(qemuImg.Conversions());
        Assert.Contains(qemuImg.Invocations(), line => line.StartsWith("info --output=json", StringComparison.Ordinal));
        Assert.Equal(await File.ReadAllBytesAsync(image), await File.ReadAllBytesAsync(lease.BasePath));
        Assert.Equal(3 * MiB, lease.VirtualSizeBytes);
        Assert.Equal([ImageCache.BaseName("img-raw"), ImageCache.BaseName("img-raw") + ".lock"], BaseFolderFiles());
    }

    [Fact]
    public async Task Ten_concurrent_builds_of_one_image_fetch_and_convert_it_once_and_share_the_base()
    {
        var source = new ImageSource(Qcow2(scratch.File("a.qcow2"), 8 * MiB)).Hold();
        var qemuImg = new RecordingQemuImg(scratch);
        var cache = new ImageCache(instances, qemuImg.QemuImg);
        var image = new ImageRef("img-1", "qcow2");

        // All ten have asked before the (held) fetch may finish.
        var builds = Enumerable.Range(0, 10).Select(_ => cache.Acquire(image, source.Fetch)).ToList();
        await source.Started;
        source.Release();
        var leases = await Task.WhenAll(builds);

        Assert.Equal(1, source.Fetches);
        Assert.Single(qemuImg.Conversions());
        Assert.Single(leases.Select(lease => lease.BasePath).Distinct());
        Assert.All(leases, lease => Assert.Equal(8 * MiB, lease.VirtualSizeBytes));
        foreach (var lease in leases) await lease.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_builds_of_different_images_each_get_their_own_base()
    {
        var sources = Enumerable.Range(0, 3)
            .Select(i => new ImageSource(Qcow2(scratch.File($"{i}.qcow2"), 4 * MiB, pattern: (byte)(0x10 + i))))
            .ToList();
        var cache = new ImageCache(instances, new QemuImg());

        var leases = await Task.WhenAll(sources.Select((source, i) =>
            cache.Acquire(new ImageRef($"img-{i}", "qcow2"), source.Fetch)));

        Assert.Equal(3, leases.Select(lease => lease.BasePath).Distinct().Count());
        for (var i = 0; i < 3; i++) Assert.True(Holds(leases[i].BasePath, "raw", (byte)(0x10 + i), 0, MiB));
        Assert.All(sources, source => Assert.Equal(1, source.Fetches));
    }

    [Fact]
    public async Task A_failed_fetch_fails_every_waiting_build_and_the_next_build_fetches_again()
    {
        var image = Qcow2(scratch.File("a.qcow2"), 4 * MiB);
        var cache = new ImageCache(instances, new QemuImg());
        var attempts = 0;
        var firstAttemptStarted = new TaskCompletionSource();
        var failFirst = new TaskCompletionSource();
        async Task Flaky(Stream target, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                await target.WriteAsync(new byte[8192], cancellationToken);
                firstAttemptStarted.SetResult();
                await failFirst.Task;
                throw new HttpRequestException("connection reset by the image registry");
            }
            await new ImageSource(image).Fetch(target, cancellationToken);
        }

        var builds = Enumerable.Range(0, 3).Select(_ => cache.Acquire(new ImageRef("img-1", "qcow2"), Flaky)).ToList();
        await firstAttemptStarted.Task;
        failFirst.SetResult();

        foreach (var build in builds) await Assert.ThrowsAsync<HttpRequestException>(() => build);
        Assert.Equal(1, attempts);
        Assert.Empty(BaseFolderFiles());

        await using var lease = await cache.Acquire(new ImageRef("img-1", "qcow2"), Flaky);
        Assert.Equal(2, attempts);
        Assert.Equal(0, Compare(image, lease.BasePath));
    }

    [Fact]
    public async Task A_qcow2_with_a_backing_file_is_refused_and_leaves_nothing_in_base()
    {
        var secret = Raw(scratch.File("host-secret.raw"), MiB, pattern: 0x99);
        var image = Qcow2WithBackingFile(scratch.File("evil.qcow2"), secret, MiB);
        var qemuImg = new RecordingQemuImg(scratch);
        var cache = new ImageCache(instances, qemuImg.QemuImg);

        var refusal = await Assert.ThrowsAsync<ImageRefusedException>(() =>
            cache.Acquire(new ImageRef("evil", "qcow2"), new ImageSource(image).Fetch));

        Assert.Equal(ImageRefusal.BackingFile, refusal.Reason);
        Assert.Equal("evil", refusal.ImageId);
        Assert.Contains(secret, refusal.Message);
        Assert.Empty(qemuImg.Conversions());
        Assert.Empty(BaseFolderFiles());
    }

    [Fact]
    public async Task A_qcow2_declared_as_raw_is_refused_as_a_format_mismatch()
    {
        var image = Qcow2(scratch.File("a.qcow2"), 4 * MiB);
        var cache = new ImageCache(instances, new QemuImg());

        var refusal = await Assert.ThrowsAsync<ImageRefusedException>(() =>
            cache.Acquire(new ImageRef("img-1", "raw"), new ImageSource(image).Fetch));

        Assert.Equal(ImageRefusal.FormatMismatch, refusal.Reason);
        Assert.Contains("qcow2", refusal.Detail);
        Assert.Empty(BaseFolderFiles());
    }

    [Fact]
    public async Task Garbage_bytes_declared_as_qcow2_are_refused_as_not_an_image()
    {
        var garbage = scratch.File("garbage.qcow2");
        var bytes = new byte[3 * 4096 + 17];
        new Random(42).NextBytes(bytes);
        await File.WriteAllBytesAsync(garbage, bytes);
        var qemuImg = new RecordingQemuImg(scratch);
        var cache = new ImageCache(instances, qemuImg.QemuImg);

        var refusal = await Assert.ThrowsAsync<ImageRefusedException>(() =>
            cache.Acquire(new ImageRef("img-1", "qcow2"), new ImageSource(garbage).Fetch));

        Assert.Equal(ImageRefusal.NotAnImage, refusal.Reason);
        Assert.Empty(qemuImg.Conversions());
        Assert.Empty(BaseFolderFiles());
    }

    [Fact]
    public async Task An_empty_download_is_refused()
    {
        var empty = scratch.File("empty");
        await File.WriteAllBytesAsync(empty, []);
        var cache = new ImageCache(instances, new QemuImg());

        var refusal = await Assert.ThrowsAsync<ImageRefusedException>(() =>
            cache.Acquire(new ImageRef("img-1", "raw"), (_, _) => Task.CompletedTask));

        Assert.Equal(ImageRefusal.NotAnImage, refusal.Reason);
        Assert.Empty(BaseFolderFiles());
    }

    [Fact]
    public async Task A_disk_format_this_host_does_not_boot_is_refused_before_any_fetch()
    {
        var source = new ImageSource(Qcow2(scratch.File("a.qcow2"), MiB));
        var cache = new ImageCache(instances, new QemuImg());

        var refusal = await Assert.ThrowsAsync<ImageRefusedException>(() =>
            cache.Acquire(new ImageRef("img-1", "vmdk"), source.Fetch));

        Assert.Equal(ImageRefusal.UnsupportedFormat, refusal.Reason);
        Assert.Equal(0, source.Fetches);
    }

    [Fact]
    public async Task A_conversion_that_fails_midway_leaves_no_base_and_no_temporary_files()
    {
        var image = Qcow2CorruptHalfway(scratch.File("broken.qcow2"));
        var targetSizes = scratch.File("target-sizes");
        // Records how much qemu-img had written when it failed, to show the failure really was midway.
        var qemuImg = new RecordingQemuImg(scratch, afterConvert: $"stat -c %s \"$target\" >> '{targetSizes}'");
        var cache = new ImageCache(instances, qemuImg.QemuImg);

        var failure = await Assert.ThrowsAsync<QemuImgException>(() =>
            cache.Acquire(new ImageRef("img-1", "qcow2"), new ImageSource(image).Fetch));

        Assert.Equal(1, failure.ExitCode);
        Assert.Contains("corrupt", failure.StandardError);
        Assert.True(long.Parse(File.ReadAllLines(targetSizes).Single()) > 0);
        Assert.Empty(BaseFolderFiles());
    }

    [Fact]
    public async Task A_conversion_killed_after_writing_everything_still_never_becomes_a_base()
    {
        var image = Qcow2(scratch.File("a.qcow2"), 4 * MiB);
        var targetSizes = scratch.File("target-sizes");
        var qemuImg = new RecordingQemuImg(scratch,
            afterConvert: $"stat -c %s \"$target\" >> '{targetSizes}'; kill -9 $$");
        var cache = new ImageCache(instances, qemuImg.QemuImg);

        var failure = await Assert.ThrowsAsync<QemuImgException>(() =>
            cache.Acquire(new ImageRef("img-1", "qcow2"), new ImageSource(image).Fetch));

        Assert.Equal(137, failure.ExitCode);
        Assert.Equal(4 * MiB, long.Parse(File.ReadAllLines(targetSizes).Single()));
        Assert.Empty(BaseFolderFiles());
    }

    [Fact]
    public async Task A_build_that_gives_up_cancels_the_fetch_and_the_next_build_starts_cleanly()
    {
        var image = Qcow2(scratch.File("a.qcow2"), 4 * MiB);
        var cache = new ImageCache(instances, new QemuImg());
        var fetchCancelled = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        async Task Stuck(Stream target, CancellationToken cancellationToken)
        {
            await target.WriteAsync(new byte[4096], cancellationToken);
            started.SetResult();
            try { await Task.Delay(Timeout.Infinite, cancellationToken); }
            finally { fetchCancelled.SetResult(); }
        }
        using var giveUp = new CancellationTokenSource();

        var build = cache.Acquire(new ImageRef("img-1", "qcow2"), Stuck, giveUp.Token);
        await started.Task;
        giveUp.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => build);
        await fetchCancelled.Task;
        await using var lease = await cache.Acquire(new ImageRef("img-1", "qcow2"), new ImageSource(image).Fetch);
        Assert.Equal(0, Compare(image, lease.BasePath));
        Assert.Equal([ImageCache.BaseName("img-1"), ImageCache.BaseName("img-1") + ".lock"], BaseFolderFiles());
    }

    [Fact]
    public async Task One_build_giving_up_does_not_cancel_the_fetch_others_still_wait_for()
    {
        var source = new ImageSource(Qcow2(scratch.File("a.qcow2"), 4 * MiB, pattern: 0x42)).Hold();
        var cache = new ImageCache(instances, new QemuImg());
        using var giveUp = new CancellationTokenSource();

        var impatient = cache.Acquire(new ImageRef("img-1", "qcow2"), source.Fetch, giveUp.Token);
        var patient = cache.Acquire(new ImageRef("img-1", "qcow2"), source.Fetch);
        await source.Started;
        giveUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        source.Release();

        await using var lease = await patient;
        Assert.Equal(1, source.Fetches);
        Assert.True(Holds(lease.BasePath, "raw", 0x42, 0, MiB));
    }
}
