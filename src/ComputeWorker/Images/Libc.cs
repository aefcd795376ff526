using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Nova.ComputeWorker.Images;

/// <summary>
/// The few libc calls .NET does not expose: O_DIRECT, flock with a blocking choice, and fsync of a directory.
/// Constants are Linux's (x86_64 and aarch64 agree on all of them).
/// </summary>
internal static class Libc
{
    public const int ReadOnly = 0x0, WriteOnly = 0x1, ReadWrite = 0x2;
    public const int Create = 0x40, Exclusive = 0x80, Directory = 0x10000, CloseOnExec = 0x80000;
    public const int Direct = 0x4000;

    public const int LockShared = 1, LockExclusive = 2, LockNonBlocking = 4;

    public const int EINTR = 4, EWOULDBLOCK = 11;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenRaw([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    public static extern nint Write(SafeFileHandle fd, IntPtr buffer, nint count);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static extern int Fsync(SafeFileHandle fd);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static extern int Flock(SafeFileHandle fd, int operation);

    [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static extern int FstatRaw(SafeFileHandle fd, byte[] buffer);

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int StatRaw([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

    [DllImport("libc", EntryPoint = "posix_memalign")]
    public static extern int PosixMemalign(out IntPtr memory, nuint alignment, nuint size);

    [DllImport("libc", EntryPoint = "free")]
    public static extern void Free(IntPtr memory);

    /// <summary>Opens <paramref name="path"/>; the handle closes the descriptor. Null with errno when open fails.</summary>
    public static SafeFileHandle? Open(string path, int flags, int mode, out int errno)
    {
        var fd = OpenRaw(path, flags | CloseOnExec, mode);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle((IntPtr)fd, ownsHandle: true);
    }

    /// <summary>(device, inode) of an open descriptor, or null.</summary>
    public static (ulong Device, ulong Inode)? FileIdentity(SafeFileHandle fd)
    {
        var buffer = new byte[StatSize];
        return FstatRaw(fd, buffer) == 0 ? Identity(buffer) : null;
    }

    /// <summary>(device, inode) of a path, or null when it does not exist.</summary>
    public static (ulong Device, ulong Inode)? FileIdentity(string path)
    {
        var buffer = new byte[StatSize];
        return StatRaw(path, buffer) == 0 ? Identity(buffer) : null;
    }

    // struct stat begins with st_dev then st_ino (both 64-bit) on x86_64 and aarch64;
    // 256 bytes is more than the whole struct on either.
    private const int StatSize = 256;
    private static (ulong, ulong) Identity(byte[] buffer) =>
        (BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
}
