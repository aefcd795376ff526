using System.Runtime.InteropServices;

namespace Nova.ComputeWorker.Images;

/// <summary>
/// Whether a directory's filesystem accepts O_DIRECT, probed the way Nova's <c>supports_direct_io</c> does:
/// open a test file there with O_DIRECT and write one aligned 4096-byte block.
/// </summary>
public static class DirectIoProbe
{
    private const int BlockSize = 4096;

    /// <summary>True when an O_DIRECT write of one aligned block succeeds in <paramref name="directory"/>.</summary>
    /// <remarks>
    /// Any failure counts as "no": the caller then converts with <c>writeback</c>, which works everywhere,
    /// whereas a wrong "yes" would make every <c>-t none</c> conversion fail.
    /// </remarks>
    public static bool Supports(string directory)
    {
        // A name of our own (Nova uses one fixed name) so two probes at once do not delete each other's file.
        var testFile = Path.Combine(directory, $".directio.test.{Environment.ProcessId}.{Guid.NewGuid():N}");
        var buffer = IntPtr.Zero;
        try
        {
            using var fd = Libc.Open(testFile, Libc.Create | Libc.WriteOnly | Libc.Direct, 0b110_000_000 /* 0600 */, out _);
            if (fd is null) return false;
            // O_DIRECT needs the memory itself aligned, not only the length and offset.
            if (Libc.PosixMemalign(out buffer, BlockSize, BlockSize) != 0) { buffer = IntPtr.Zero; return false; }
            Marshal.Copy(Enumerable.Repeat((byte)'x', BlockSize).ToArray(), 0, buffer, BlockSize);
            return Libc.Write(fd, buffer, BlockSize) == BlockSize;
        }
        finally
        {
            if (buffer != IntPtr.Zero) Libc.Free(buffer);
            try { File.Delete(testFile); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }
}
