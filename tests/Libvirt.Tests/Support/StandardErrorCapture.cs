using System.Runtime.InteropServices;
using System.Text;

namespace Nova.Libvirt.Tests.Support;

/// <summary>
/// Captures everything written to file descriptor 2 (where libvirt's default error handler prints)
/// while an action runs, by pointing fd 2 at a temporary file and restoring it afterwards.
/// </summary>
public static partial class StandardErrorCapture
{
    private const int StandardError = 2;

    public static string Run(Action action)
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var file = File.Open(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
                var saved = dup(StandardError);
                if (saved < 0) throw new InvalidOperationException($"dup(2) failed: errno {Marshal.GetLastPInvokeError()}");
                try
                {
                    if (dup2((int)file.SafeFileHandle.DangerousGetHandle(), StandardError) < 0)
                        throw new InvalidOperationException($"dup2 failed: errno {Marshal.GetLastPInvokeError()}");
                    action();
                }
                finally
                {
                    dup2(saved, StandardError);
                    close(saved);
                }
            }
            return File.ReadAllText(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Writes straight to fd 2, bypassing .NET's Console, as C code does.</summary>
    public static void WriteRaw(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        write(StandardError, bytes, bytes.Length);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup2(int oldFd, int newFd);

    [LibraryImport("libc")]
    private static partial int close(int fd);

    [LibraryImport("libc")]
    private static partial nint write(int fd, byte[] buffer, nint count);
}
