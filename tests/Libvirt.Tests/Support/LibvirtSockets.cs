using System.Runtime.InteropServices;
using System.Text;

namespace Nova.Libvirt.Tests.Support;

/// <summary>
/// What a libvirtd restart does to its clients, without touching the machine's shared libvirtd: every socket of this
/// process connected to libvirtd's (<c>/run/libvirt/libvirt-sock*</c>) is shut down. The descriptors stay libvirt's
/// own, so libvirt sees exactly what it sees when the daemon goes away: end of file.
/// </summary>
public static partial class LibvirtSockets
{
    private const int AfUnix = 1;
    private const int ShutReadWrite = 2;

    /// <summary>Shuts down every connection to libvirtd this process holds; returns how many there were.</summary>
    public static int SeverAll()
    {
        var severed = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var fd)) continue;
            string? target;
            try { target = new FileInfo(entry).LinkTarget; }
            catch (IOException) { continue; }
            if (target is null || !target.StartsWith("socket:", StringComparison.Ordinal)) continue;
            if (PeerPath(fd) is { } peer && peer.Contains("/libvirt/libvirt-sock", StringComparison.Ordinal)
                && shutdown(fd, ShutReadWrite) == 0)
                severed++;
        }
        return severed;
    }

    /// <summary>The path of the Unix socket <paramref name="fd"/> is connected to (getpeername), or null.</summary>
    private static string? PeerPath(int fd)
    {
        // struct sockaddr_un: sa_family_t (2 bytes), then sun_path[108]
        var address = new byte[110];
        var length = (uint)address.Length;
        if (getpeername(fd, address, ref length) != 0 || length <= 2 || BitConverter.ToUInt16(address, 0) != AfUnix) return null;
        var path = address.AsSpan(2, (int)length - 2);
        var end = path.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? path : path[..end]);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getpeername(int socket, [Out] byte[] address, ref uint addressLength);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int shutdown(int socket, int how);
}
