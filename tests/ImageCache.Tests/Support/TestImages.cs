using System.Buffers.Binary;
using System.Diagnostics;

namespace Nova.ComputeWorker.Images.Tests.Support;

/// <summary>Images made on the spot with the real qemu-img and qemu-io; nothing is downloaded.</summary>
public static class TestImages
{
    public const long MiB = 1 << 20;

    /// <summary>A qcow2 of <paramref name="sizeBytes"/> whose first MiB (or all of it) holds <paramref name="pattern"/>.</summary>
    public static string Qcow2(string path, long sizeBytes, byte pattern = 0xab, long? dataBytes = null,
        int clusterSize = 65536)
    {
        Run("qemu-img", "create", "-q", "-f", "qcow2", "-o", $"cluster_size={clusterSize}", path, sizeBytes.ToString());
        Run("qemu-io", "-f", "qcow2", "-c", $"write -P 0x{pattern:x2} 0 {dataBytes ?? MiB}", path);
        return path;
    }

    public static string Raw(string path, long sizeBytes, byte pattern = 0xab)
    {
        Run("qemu-img", "create", "-q", "-f", "raw", path, sizeBytes.ToString());
        Run("qemu-io", "-f", "raw", "-c", $"write -P 0x{pattern:x2} 0 {Math.Min(MiB, sizeBytes)}", path);
        return path;
    }

    /// <summary>A qcow2 naming <paramref name="backingFile"/> as its backing file: the classic host-file leak.</summary>
    public static string Qcow2WithBackingFile(string path, string backingFile, long sizeBytes)
    {
        Run("qemu-img", "create", "-q", "-f", "qcow2", "-b", backingFile, "-F", "raw", path, sizeBytes.ToString());
        return path;
    }

    /// <summary>
    /// A 4 MiB qcow2 full of data whose second L2 table pointer is misaligned: <c>qemu-img info</c> reads it
    /// happily, <c>qemu-img convert</c> writes the first 2 MiB and then fails with an I/O error.
    /// </summary>
    public static string Qcow2CorruptHalfway(string path)
    {
        Qcow2(path, 4 * MiB, dataBytes: 4 * MiB, clusterSize: 4096);
        using var file = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
        Span<byte> header = stackalloc byte[48];
        file.ReadExactly(header);
        var l1Offset = (long)BinaryPrimitives.ReadUInt64BigEndian(header[40..]);
        Span<byte> entry = stackalloc byte[8];
        file.Position = l1Offset + 8;
        file.ReadExactly(entry);
        BinaryPrimitives.WriteUInt64BigEndian(entry, BinaryPrimitives.ReadUInt64BigEndian(entry) + 512);
        file.Position = l1Offset + 8;
        file.Write(entry);
        return path;
    }

    /// <summary>Runs a tool and fails the test set-up when it fails.</summary>
    public static string Run(string executable, params string[] arguments)
    {
        var (exitCode, output, error) = Execute(executable, arguments);
        if (exitCode != 0)
            throw new InvalidOperationException($"{executable} {string.Join(' ', arguments)} failed ({exitCode}): {error}");
        return output;
    }

    public static (int ExitCode, string Output, string Error) Execute(string executable, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    /// <summary><c>qemu-img compare</c>: exit 0 when the two images hold the same guest-visible content.</summary>
    public static int Compare(string first, string second) => Execute("qemu-img", "compare", first, second).ExitCode;

    /// <summary>True when every byte of [offset, offset+length) of the image reads as <paramref name="pattern"/>.</summary>
    public static bool Holds(string image, string format, byte pattern, long offset, long length)
    {
        var (exitCode, output, error) = Execute("qemu-io", "-r", "-U", "-f", format, "-c",
            $"read -P 0x{pattern:x2} {offset} {length}", image);
        return exitCode == 0 && !(output + error).Contains("Pattern verification failed", StringComparison.Ordinal);
    }
}
