using Nova.Domain.Flavors;
using Nova.Domain.Hosts;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Drivers;

/// <summary>What a host needs to build an instance.</summary>
public sealed record InstanceSpec(Guid ServerId, string Name, FlavorSpec Flavor, string ImageId, string Networks);

/// <summary>The hypervisor behind one compute host (Nova's virt driver interface, reduced to the spine's operations).</summary>
public interface IComputeDriver
{
    string HypervisorType { get; }
    string HypervisorVersion { get; }
    HostResources Capacity { get; }

    /// <summary>Create and start the instance; returns once it runs. Idempotent for an instance that already runs.</summary>
    Task Spawn(InstanceSpec spec, CancellationToken ct);
    Task PowerOff(Guid serverId, CancellationToken ct);
    Task PowerOn(Guid serverId, CancellationToken ct);
    Task Reboot(Guid serverId, RebootType type, CancellationToken ct);
    /// <summary>Remove the instance and everything it holds on this host; nothing to do when it is absent.</summary>
    Task Destroy(Guid serverId, CancellationToken ct);
    PowerState? GetPowerState(Guid serverId);
    /// <summary>The instance's serial console log, at most the last <paramref name="lines"/> lines (all when null).</summary>
    Task<string> GetConsoleOutput(Guid serverId, int? lines, CancellationToken ct);
    IReadOnlyCollection<Guid> ListInstances();
}

/// <summary>
/// The hypervisor refused or failed an operation; the message is shown as the fault or action error.
/// <see cref="Retryable"/> is false when the request itself is at fault (e.g. a flavor too small for
/// its image): another host would fail the same way, so the build is not rescheduled.
/// </summary>
public sealed class HypervisorError(string message, bool retryable = true) : Exception(message)
{
    public bool Retryable { get; } = retryable;
}
