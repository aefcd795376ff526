using System.Diagnostics;
using System.Globalization;

namespace Nova.DiskImages;

/// <summary>
/// The real <c>qemu-img</c> binary, run with an argument list (no shell), a time limit and cancellation.
/// A non-zero exit becomes a <see cref="QemuImgException"/> carrying qemu-img's stderr.
/// </summary>
public sealed class QemuImg
{
    // Nova's QEMU_IMG_LIMITS: a crafted image can make `qemu-img info` allocate or spin without bound.
    private const string InfoAddressSpaceLimit = "1073741824";
    private const string InfoCpuSecondsLimit = "30";
    private const string Prlimit = "/usr/bin/prlimit";

    private readonly string executable;
    private readonly TimeSpan metadataTimeout;
    private readonly TimeSpan convertTimeout;
    private readonly bool limitInfo;

    /// <param name="executable">The qemu-img to run: a name looked up on PATH, or a path.</param>
    /// <param name="metadataTimeout">Limit for <c>info</c> and <c>create</c>, which only touch headers.</param>
    /// <param name="convertTimeout">Limit for <c>convert</c>, which copies the whole image.</param>
    public QemuImg(string executable = "qemu-img", TimeSpan? metadataTimeout = null, TimeSpan? convertTimeout = null)
    {
        this.executable = executable;
        this.metadataTimeout = metadataTimeout ?? TimeSpan.FromSeconds(60);
        this.convertTimeout = convertTimeout ?? TimeSpan.FromHours(1);
        // prlimit is part of util-linux (essential on Debian); without it info still runs, only unbounded.
        limitInfo = File.Exists(Prlimit);
    }

    /// <summary><c>qemu-img info --output=json</c>.</summary>
    /// <param name="format">Null lets qemu-img probe the format, which is how a declared format is checked.</param>
    /// <param name="forceShare">Read an image that a running QEMU holds open (<c>-U</c>).</param>
    public async Task<QemuImageInfo> Info(string path, CancellationToken cancellationToken = default,
        string? format = null, bool forceShare = false)
    {
        var arguments = new List<string> { "info", "--output=json" };
        if (format is not null) arguments.AddRange(["-f", format]);
        if (forceShare) arguments.Add("-U");
        arguments.Add(path);
        var json = await Run(arguments, metadataTimeout, limitInfo, cancellationToken);
        return QemuImageInfo.Parse(json);
    }

    /// <summary><c>qemu-img convert -t TARGETCACHE [-T SOURCECACHE] -f SOURCEFORMAT -O TARGETFORMAT SOURCE TARGET</c>.</summary>
    /// <param name="sourceFormat">Always given, so qemu-img never probes (a raw image could pose as qcow2).</param>
    /// <param name="targetCache">Both allowed modes flush the target before qemu-img exits 0.</param>
    /// <param name="sourceCache">Null keeps qemu-img's default (writeback), right for a source that was just
    /// written and is still in the page cache; <c>none</c> suits a large cold source that should not evict it.</param>
    public Task Convert(string source, string sourceFormat, string target, string targetFormat,
        QemuCacheMode targetCache, CancellationToken cancellationToken = default, QemuCacheMode? sourceCache = null)
    {
        var arguments = new List<string> { "convert", "-t", CacheArgument(targetCache) };
        if (sourceCache is { } mode) arguments.AddRange(["-T", CacheArgument(mode)]);
        arguments.AddRange(["-f", sourceFormat, "-O", targetFormat, source, target]);
        return Run(arguments, convertTimeout, limited: false, cancellationToken);
    }

    /// <summary><c>qemu-img create -f qcow2 -b BASE -F BASEFORMAT PATH SIZE</c>: a copy-on-write overlay.</summary>
    public Task CreateOverlay(string basePath, string baseFormat, string path, long sizeBytes,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeBytes);
        return Run(["create", "-q", "-f", "qcow2", "-b", basePath, "-F", baseFormat, path,
            sizeBytes.ToString(CultureInfo.InvariantCulture)], metadataTimeout, limited: false, cancellationToken);
    }

    /// <summary><c>qemu-img create -f FORMAT PATH SIZE</c>: an empty image.</summary>
    public Task Create(string path, string format, long sizeBytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeBytes);
        return Run(["create", "-q", "-f", format, path, sizeBytes.ToString(CultureInfo.InvariantCulture)],
            metadataTimeout, limited: false, cancellationToken);
    }

    private static string CacheArgument(QemuCacheMode mode) => mode switch
    {
        QemuCacheMode.None => "none",
        QemuCacheMode.Writeback => "writeback",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    private async Task<string> Run(IReadOnlyList<string> arguments, TimeSpan timeout, bool limited,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(limited ? Prlimit : executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (limited)
            foreach (var limit in (string[])[$"--as={InfoAddressSpaceLimit}", $"--cpu={InfoCpuSecondsLimit}", "--", executable])
                start.ArgumentList.Add(limit);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Messages in the exceptions should read the same on every host.
        start.Environment["LC_ALL"] = "C";

        var commandLine = (string[])[executable, .. arguments];
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new QemuImgException(commandLine, -1, "", "could not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new QemuImgException(commandLine, -1, e.Message, "could not start");
        }
        using var _ = process;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { /* it exited on its own meanwhile */ }
            // Reap it before returning: a caller that deletes the target must not race a still-writing qemu-img.
            await process.WaitForExitAsync(CancellationToken.None);
            var partial = await error;
            cancellationToken.ThrowIfCancellationRequested();
            throw new QemuImgException(commandLine, null, partial, $"killed after running longer than {timeout}");
        }

        var standardOutput = await output;
        var standardError = await error;
        if (process.ExitCode != 0)
            throw new QemuImgException(commandLine, process.ExitCode, standardError, $"exit code {process.ExitCode}");
        return standardOutput;
    }
}
