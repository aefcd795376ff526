// Image-pipeline benchmark (issue 3, targets in ../shared/reference/targets.md): the compute worker's
// ImageCache (fetch → qemu-img info → qemu-img convert to raw in _base) against qemu-img's cache modes and
// against dd with O_DIRECT, all in one run on the same disk. Prints a Markdown report on stdout, progress on
// stderr. Run as root (bench/image-pipeline.sh): the page cache is dropped before every cold measurement.
//
//   dotnet Nova.ImageBench.dll [--dir /var/tmp/nova-image-bench] [--runs 5] [--concurrency 8] [--keep]

using System.Diagnostics;
using System.Globalization;
using Nova.ComputeWorker.Images;

var culture = CultureInfo.InvariantCulture;
var dir = "/var/tmp/nova-image-bench";
var runs = 5;
var concurrency = 8;
var keep = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--dir": dir = args[++i]; break;
        case "--runs": runs = int.Parse(args[++i], culture); break;
        case "--concurrency": concurrency = int.Parse(args[++i], culture); break;
        case "--keep": keep = true; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}
if (runs < 1 || concurrency < 1) { Console.Error.WriteLine("--runs and --concurrency must be ≥ 1"); return 2; }

dir = Path.GetFullPath(dir);
var work = Path.Combine(dir, $"work-{DateTime.UtcNow:yyyyMMddHHmmss}");
Directory.CreateDirectory(work);
var command = Environment.GetEnvironmentVariable("IMAGE_BENCH_COMMAND")
              ?? "dotnet Nova.ImageBench.dll " + string.Join(' ', args);
var started = DateTime.Now;
var loadAtStart = Sh("cat /proc/loadavg").Trim();

void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

try
{
    // ---- 1. images -------------------------------------------------------------------------------------
    var image = Path.Combine(work, "image-2g.qcow2");
    var small = Path.Combine(work, "image-64m.qcow2");
    Log($"generating {image} (2 GiB virtual, 1 GiB of data)");
    Run("qemu-img", "create", "-q", "-f", "qcow2", image, "2G");
    // Two patterns so that the data is not one repeated cluster; 1 GiB written in total.
    Run("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 0 512M", image);
    Run("qemu-io", "-f", "qcow2", "-c", "write -P 0xa5 1G 512M", image);
    Run("qemu-img", "create", "-q", "-f", "qcow2", small, "64M");
    Run("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 0 32M", small);
    var imageInfo = await new QemuImg().Info(image);
    var imageBytes = new FileInfo(image).Length;

    var qemuImg = new QemuImg();
    var probeCache = new ImageCache(Path.Combine(work, "probe"), qemuImg);
    var productMode = probeCache.ConversionCacheMode();
    var productModeArg = productMode == QemuCacheMode.None ? "none" : "writeback";
    Log($"ImageCache.ConversionCacheMode() = {productMode}");

    // ---- 2. timings, round-robin over the variants so drift hits them all alike -------------------------
    var names = new[]
    {
        "acquire", "product", "writethrough", "writeback", "none", "none-none", "dd-write", "dd-read", "warm",
    };
    var samples = names.ToDictionary(n => n, _ => new List<double>());
    var dropResults = new List<bool>();
    var target = Path.Combine(work, "out.raw");

    async Task<double> Cold(Func<Task> action)
    {
        dropResults.Add(DropCaches());
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalSeconds;
    }

    Task Qemu(params string[] arguments) => Task.Run(() => Run("qemu-img", arguments));

    for (var run = 1; run <= runs; run++)
    {
        Log($"run {run}/{runs}");
        // a. the product: Acquire on a fresh cache in a fresh instances folder; the fetch streams the local file.
        var instances = Path.Combine(work, $"instances-acquire-{run}");
        var cache = new ImageCache(instances, qemuImg);
        samples["acquire"].Add(await Cold(async () =>
        {
            using var lease = await cache.Acquire(new ImageRef($"bench-{run}", "qcow2"), FetchFrom(image));
        }));
        Directory.Delete(instances, recursive: true);

        // a'. the conversion alone, exactly as ImageCache calls it (target cache from ConversionCacheMode()).
        samples["product"].Add(await Cold(() => qemuImg.Convert(image, "qcow2", target, "raw", productMode)));
        File.Delete(target);

        // b, c. qemu-img's cache modes.
        samples["writethrough"].Add(await Cold(() => Qemu("convert", "-t", "writethrough", "-f", "qcow2", "-O", "raw", image, target)));
        File.Delete(target);
        samples["writeback"].Add(await Cold(() => Qemu("convert", "-t", "writeback", "-f", "qcow2", "-O", "raw", image, target)));
        File.Delete(target);
        samples["none"].Add(await Cold(() => Qemu("convert", "-t", "none", "-f", "qcow2", "-O", "raw", image, target)));
        File.Delete(target);
        samples["none-none"].Add(await Cold(() => Qemu("convert", "-t", "none", "-T", "none", "-f", "qcow2", "-O", "raw", image, target)));
        File.Delete(target);

        // d. the disk's limits.
        var ddFile = Path.Combine(work, "dd.out");
        samples["dd-write"].Add(await Cold(() => Task.Run(() =>
            Run("dd", "if=/dev/zero", $"of={ddFile}", "bs=4M", "count=256", "oflag=direct", "status=none"))));
        File.Delete(ddFile);
        samples["dd-read"].Add(await Cold(() => Task.Run(() =>
            Run("dd", $"if={image}", "of=/dev/null", "bs=4M", "iflag=direct", "status=none"))));

        // e. warm source: read the image through the page cache first, no drop before the conversion.
        Run("dd", $"if={image}", "of=/dev/null", "bs=4M", "status=none");
        var warmWatch = Stopwatch.StartNew();
        await qemuImg.Convert(image, "qcow2", target, "raw", productMode);
        samples["warm"].Add(warmWatch.Elapsed.TotalSeconds);
        File.Delete(target);
    }

    // ---- overlays: CreateInstanceDisk for the 2 GiB image and for a 64 MiB one -------------------------
    Log("instance disks (overlays)");
    var overlayInstances = Path.Combine(work, "instances-overlay");
    var overlayCache = new ImageCache(overlayInstances, qemuImg);
    var bigLease = await overlayCache.Acquire(new ImageRef("overlay-2g", "qcow2"), FetchFrom(image));
    var smallLease = await overlayCache.Acquire(new ImageRef("overlay-64m", "qcow2"), FetchFrom(small));
    var overlayBig = new List<double>();
    var overlaySmall = new List<double>();
    for (var i = 0; i < Math.Max(runs, 5); i++)
    {
        foreach (var (lease, list, tag) in new[] { (bigLease, overlayBig, "big"), (smallLease, overlaySmall, "small") })
        {
            var watch = Stopwatch.StartNew();
            await overlayCache.CreateInstanceDisk(lease, Path.Combine(overlayInstances, $"{tag}-{i}"), rootGb: 0);
            list.Add(watch.Elapsed.TotalMilliseconds);
        }
    }
    bigLease.Dispose();
    smallLease.Dispose();
    Directory.Delete(overlayInstances, recursive: true);

    // ---- 3. N concurrent builds of one image on a fresh cache -------------------------------------------
    Log($"{concurrency} concurrent Acquire calls of one image");
    // A qemu-img that logs each convert: the count of conversions, whatever ImageCache does inside.
    var counterLog = Path.Combine(work, "qemu-img-calls.log");
    var wrapper = Path.Combine(work, "qemu-img-counting");
    var realQemuImg = Sh("command -v qemu-img").Trim();
    File.WriteAllText(wrapper, $"#!/bin/sh\necho \"$1\" >> '{counterLog}'\nexec '{realQemuImg}' \"$@\"\n");
    Run("chmod", "0700", wrapper);
    var concurrentInstances = Path.Combine(work, "instances-concurrent");
    var concurrentCache = new ImageCache(concurrentInstances, new QemuImg(wrapper));
    var fetches = 0;
    var countingFetch = FetchFrom(image);
    var concurrentDrop = DropCaches();
    var wall = Stopwatch.StartNew();
    var leases = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() =>
        concurrentCache.Acquire(new ImageRef("concurrent", "qcow2"), async (stream, token) =>
        {
            Interlocked.Increment(ref fetches);
            await countingFetch(stream, token);
        }))));
    var concurrentSeconds = wall.Elapsed.TotalSeconds;
    var calls = File.Exists(counterLog) ? File.ReadAllLines(counterLog) : [];
    var conversions = calls.Count(c => c == "convert");
    var infos = calls.Count(c => c == "info");
    var distinctBases = leases.Select(l => l.BasePath).Distinct().Count();
    foreach (var lease in leases) lease.Dispose();
    Directory.Delete(concurrentInstances, recursive: true);

    // ---- 4. report ------------------------------------------------------------------------------------
    double Med(string name) => Median(samples[name]);
    var dropsWorked = dropResults.All(d => d) && concurrentDrop;
    var coldRatio = Med("product") / (Med("dd-read") + Med("dd-write"));
    var coldRatioBest = Med("none-none") / (Med("dd-read") + Med("dd-write"));
    var acquireRatio = Med("acquire") / (Med("dd-read") + Med("dd-write"));
    var warmRatio = Med("warm") / Med("dd-write");
    string S(double seconds) => seconds.ToString("0.00", culture);
    string Runs(string name) => string.Join(", ", samples[name].Select(S));
    string Ok(bool ok) => ok ? "met" : "**missed**";

    var o = Console.Out;
    o.WriteLine($"Run {started:yyyy-MM-dd HH:mm} (local time), command: `{command}`");
    o.WriteLine();
    o.WriteLine("| machine | |");
    o.WriteLine("|---|---|");
    o.WriteLine($"| CPUs (nproc) | {Environment.ProcessorCount} |");
    o.WriteLine($"| memory | {Sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")} |");
    o.WriteLine($"| kernel | {Sh("uname -r").Trim()} |");
    o.WriteLine($"| folder | `{dir}` on {string.Join(" · ", Sh($"findmnt -n -o SOURCE,FSTYPE,OPTIONS -T '{work}'").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))} |");
    o.WriteLine($"| qemu-img | {Sh("qemu-img --version | head -1").Trim()} |");
    o.WriteLine($"| load average at start | {loadAtStart} |");
    o.WriteLine($"| image | qcow2, virtual {imageInfo.VirtualSize >> 20} MiB, file {imageBytes >> 20} MiB, 1 GiB of data (qemu-io patterns 0x5a, 0xa5) |");
    o.WriteLine($"| page cache dropped before each cold run | {(dropsWorked ? "yes" : "**no** (not root, or /proc/sys/vm/drop_caches not writable): cold figures are warm")} ({dropResults.Count(d => d) + (concurrentDrop ? 1 : 0)}/{dropResults.Count + 1} drops succeeded) |");
    o.WriteLine($"| ImageCache.ConversionCacheMode() here | `{productModeArg}` |");
    o.WriteLine();
    o.WriteLine($"| step (median of {runs}) | seconds | runs |");
    o.WriteLine("|---|---|---|");
    o.WriteLine($"| ImageCache.Acquire, cold: fetch (stream copy) + `qemu-img info` + convert + rename | **{S(Med("acquire"))}** | {Runs("acquire")} |");
    o.WriteLine($"| product conversion alone, cold (`QemuImg.Convert`, `-t {productModeArg}`) | **{S(Med("product"))}** | {Runs("product")} |");
    o.WriteLine($"| `qemu-img convert -t writethrough` (what the seed removed) | {S(Med("writethrough"))} | {Runs("writethrough")} |");
    o.WriteLine($"| `qemu-img convert -t writeback` | {S(Med("writeback"))} | {Runs("writeback")} |");
    o.WriteLine($"| `qemu-img convert -t none` | {S(Med("none"))} | {Runs("none")} |");
    o.WriteLine($"| `qemu-img convert -t none -T none` | {S(Med("none-none"))} | {Runs("none-none")} |");
    o.WriteLine($"| `dd if=/dev/zero bs=4M count=256 oflag=direct` (1 GiB, the disk's limit) | {S(Med("dd-write"))} | {Runs("dd-write")} |");
    o.WriteLine($"| `dd if=IMAGE of=/dev/null bs=4M iflag=direct` (read the qcow2 once) | {S(Med("dd-read"))} | {Runs("dd-read")} |");
    o.WriteLine($"| product conversion, warm source (no drop, image read just before) | **{S(Med("warm"))}** | {Runs("warm")} |");
    o.WriteLine();
    o.WriteLine("| target (targets.md, ratios in this run) | measured | target | |");
    o.WriteLine("|---|---|---|---|");
    o.WriteLine($"| durable conversion of a cold image / (dd read + dd write): product `-t {productModeArg}` | {S(coldRatio)}x | ≤ 1.2x | {Ok(coldRatio <= 1.2)} |");
    o.WriteLine($"| same, `-t none -T none` (for context) | {S(coldRatioBest)}x | ≤ 1.2x | {Ok(coldRatioBest <= 1.2)} |");
    o.WriteLine($"| same, whole Acquire incl. fetch and check (for context; the target is about the conversion) | {S(acquireRatio)}x | — | |");
    o.WriteLine($"| warm conversion / dd write | {S(warmRatio)}x | ≤ 2x | {Ok(warmRatio <= 2)} |");
    var overlayOk = Median(overlayBig) < 1000 && Median(overlaySmall) < 1000 && Median(overlayBig) < 3 * Median(overlaySmall) + 20;
    o.WriteLine($"| ImageCache.CreateInstanceDisk, 2 GiB image / 64 MiB image (median of {overlayBig.Count}) | {Median(overlayBig).ToString("0.0", culture)} / {Median(overlaySmall).ToString("0.0", culture)} ms | O(1) | {Ok(overlayOk)} |");
    o.WriteLine($"| {concurrency} concurrent Acquire of one image on a fresh cache, cold: fetches / conversions | {fetches} / {conversions} ({infos} `info`, {distinctBases} base) in {S(concurrentSeconds)} s wall | 1 / 1 | {Ok(fetches == 1 && conversions == 1 && distinctBases == 1)} |");
    return 0;
}
finally
{
    if (!keep)
    {
        try { Directory.Delete(work, recursive: true); }
        catch (Exception e) { Console.Error.WriteLine($"could not remove {work}: {e.Message}"); }
    }
}

// A fetch as the worker gets it from the image service, but from a local file: streams it into the cache's stream.
static Func<Stream, CancellationToken, Task> FetchFrom(string path) => async (stream, token) =>
{
    await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20,
        FileOptions.Asynchronous | FileOptions.SequentialScan);
    await source.CopyToAsync(stream, 1 << 20, token);
};

static bool DropCaches()
{
    Run("sync");
    try
    {
        File.WriteAllText("/proc/sys/vm/drop_caches", "3\n");
        return true;
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        return false;
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    var middle = sorted.Count / 2;
    return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

static void Run(string file, params string[] arguments)
{
    var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
    foreach (var argument in arguments) start.ArgumentList.Add(argument);
    using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    _ = output.Result;
    if (process.ExitCode != 0)
        throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: exit {process.ExitCode}: {error}");
}

static string Sh(string script)
{
    var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
    start.ArgumentList.Add("-c");
    start.ArgumentList.Add(script);
    using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh");
    var error = process.StandardError.ReadToEndAsync();
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    _ = error.Result;
    return output;
}
