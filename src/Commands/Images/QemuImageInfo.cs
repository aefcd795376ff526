using System.Diagnostics;
using System.Text.Json;

namespace Nova.Commands.Images;

/// <summary>What <c>qemu-img info</c> says about a file, probing its format rather than trusting a declared one.</summary>
public sealed record QemuImageInfo(string Format, long VirtualSize, string? BackingFile, string? DataFile, bool Corrupt)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Null when qemu-img cannot read the file as any image (it then is not one).</summary>
    public static async Task<QemuImageInfo?> Probe(string path, CancellationToken ct)
    {
        var start = new ProcessStartInfo("qemu-img")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            // No -f: the probe is the point, a declared format must agree with it (raw data must not be a qcow2).
            ArgumentList = { "info", "--output=json", path },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("qemu-img could not be started");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (ct.IsCancellationRequested) throw;
            throw new TimeoutException($"qemu-img info did not finish within {Timeout.TotalSeconds} s");
        }
        if (process.ExitCode != 0)
        {
            await stderr;
            return null;
        }
        using var json = JsonDocument.Parse(await stdout);
        var root = json.RootElement;
        string? dataFile = null;
        var corrupt = false;
        if (root.TryGetProperty("format-specific", out var specific) && specific.TryGetProperty("data", out var data))
        {
            if (data.TryGetProperty("data-file", out var df)) dataFile = df.GetString();
            if (data.TryGetProperty("corrupt", out var c)) corrupt = c.ValueKind == JsonValueKind.True;
        }
        return new QemuImageInfo(
            root.GetProperty("format").GetString() ?? "",
            root.GetProperty("virtual-size").GetInt64(),
            root.TryGetProperty("backing-filename", out var backing) ? backing.GetString() : null,
            dataFile, corrupt);
    }

    /// <summary>Why this data may not be registered as <paramref name="declaredFormat"/>, or null when it may.</summary>
    public string? RefusalFor(string declaredFormat)
    {
        if (Format != declaredFormat)
            return $"Image data is not {declaredFormat}: qemu-img detects format {Format}.";
        if (BackingFile is not null) return "Image data refused: a qcow2 image with a backing file is not allowed.";
        if (DataFile is not null) return "Image data refused: a qcow2 image with an external data file is not allowed.";
        if (Corrupt) return "Image data refused: the qcow2 image is marked corrupt.";
        return null;
    }
}
