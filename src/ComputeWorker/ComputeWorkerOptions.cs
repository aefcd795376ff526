using Nova.ComputeWorker.Drivers.Fake;
using Nova.ComputeWorker.Drivers.Libvirt;
using Nova.Domain.Hosts;

namespace Nova.ComputeWorker;

/// <summary>Section <c>Nova:Compute</c>.</summary>
public sealed class ComputeWorkerOptions
{
    /// <summary><c>fake</c> (Nova's fake hypervisor) or <c>libvirt</c> (QEMU guests through libvirt).</summary>
    public string Driver { get; set; } = "fake";
    /// <summary>Host names this process serves; empty means <c>fake-1 … fake-N</c> for <see cref="FakeHosts"/>, or
    /// this machine's name for the libvirt driver (one hypervisor, one host).</summary>
    public List<string> Hosts { get; set; } = new();
    public int FakeHosts { get; set; } = 1;
    /// <summary>The availability zone this process's hosts are in (Nova's default zone is "nova").</summary>
    public string AvailabilityZone { get; set; } = "nova";
    public FakeDriverOptions Fake { get; set; } = new();
    public LibvirtDriverOptions Libvirt { get; set; } = new();
    public int ReportIntervalSeconds { get; set; } = 10;
    /// <summary>How often each instance's power state is compared with the record (Nova: sync_power_state_interval); 0 turns it off.</summary>
    public int PowerSyncIntervalSeconds { get; set; } = 60;
    /// <summary>Over-commit and reservations of this host's hypervisor, reported with its inventory.</summary>
    public AllocationRatios AllocationRatios { get; set; } = new();
    /// <summary>
    /// Where each host keeps its journal of finished operations and torn-down instances (a folder per host), so a
    /// message delivered again after a restart is not carried out twice. Must survive restarts of the worker.
    /// </summary>
    public string StatePath { get; set; } = DefaultStatePath();
    /// <summary>How often the host compares its guests with what the control plane says it holds (0 turns it off).</summary>
    public int ReconcileIntervalSeconds { get; set; } = 300;
    /// <summary>Instance operations a host runs at once.</summary>
    public int ConcurrentOperations { get; set; } = 64;

    private static string DefaultStatePath()
    {
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return Path.Combine(string.IsNullOrEmpty(data) ? "/var/lib" : data, "nova-es", "compute");
    }

    public IReadOnlyList<string> HostNames() =>
        Hosts.Count > 0 ? Hosts
        : Driver == "libvirt" ? [Environment.MachineName]
        : Enumerable.Range(1, Math.Max(1, FakeHosts)).Select(i => $"fake-{i}").ToList();
}
