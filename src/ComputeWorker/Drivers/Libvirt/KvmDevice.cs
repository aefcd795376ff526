namespace Nova.ComputeWorker.Drivers.Libvirt;

/// <summary>Whether this host can run guests with KVM: <c>/dev/kvm</c> exists and opens read-write.</summary>
public static class KvmDevice
{
    public const string Path = "/dev/kvm";

    public static bool Usable()
    {
        try
        {
            using var device = File.Open(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }
}
