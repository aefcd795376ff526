namespace Nova.ComputeWorker.Drivers.Libvirt;

/// <summary>
/// Whether this host can run guests with KVM: the CPU advertises VT-x or AMD-V (<c>vmx</c>/<c>svm</c> in
/// /proc/cpuinfo) and <c>/dev/kvm</c> opens read-write. A /dev/kvm without those flags (seen in microVMs that pass the
/// device through without nested virtualization) accepts a guest and then stops it with "emulation failure" in its
/// real-mode boot code, so it does not count: TCG boots where it would hang.
/// </summary>
public static class KvmDevice
{
    public const string Path = "/dev/kvm";

    public static bool Usable() => CpuAdvertisesVirtualization(ReadCpuInfo()) && Opens();

    /// <summary>Any "flags" line with the vmx or svm flag.</summary>
    public static bool CpuAdvertisesVirtualization(string cpuinfo) =>
        cpuinfo.Split('\n')
            .Where(line => line.StartsWith("flags", StringComparison.Ordinal))
            .Any(line => line.Split([' ', '\t', ':'], StringSplitOptions.RemoveEmptyEntries) is var flags
                         && (flags.Contains("vmx") || flags.Contains("svm")));

    private static string ReadCpuInfo()
    {
        try { return File.ReadAllText("/proc/cpuinfo"); }
        catch (IOException) { return ""; }
    }

    private static bool Opens()
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
