using Nova.Domain.Flavors;
using Nova.Domain.Hosts;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Drivers;

/// <summary>What a host needs to build an instance.</summary>
public sealed record InstanceSpec(Guid ServerId, string Name, FlavorSpec Flavor, string ImageId, string Networks);

/// <summary>What a host needs to rescue an instance: the instance as built, and the image to boot it from instead.</summary>
public sealed record RescueSpec(InstanceSpec Instance, string RescueImageId);

/// <summary>
/// The hypervisor behind one compute host (Nova's virt driver interface): one method per thing a server action
/// asks of the hypervisor. Every method is safe to repeat (messages arrive at least once): asking for the state
/// the instance is already in does nothing.
/// </summary>
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

    /// <summary>Freezes the guest's vCPUs; the QEMU process and its memory stay (libvirt virDomainSuspend).</summary>
    Task Pause(Guid serverId, CancellationToken ct);
    Task Unpause(Guid serverId, CancellationToken ct);
    /// <summary>Saves the guest's memory to disk and ends its QEMU process (libvirt managed save).</summary>
    Task Suspend(Guid serverId, CancellationToken ct);
    /// <summary>Brings a suspended guest back from its saved memory.</summary>
    Task Resume(Guid serverId, CancellationToken ct);
    /// <summary>
    /// Boots the instance from the rescue image with its own disk attached as the second disk; the instance's own
    /// definition is kept on the host for <see cref="Unrescue"/>. Works from a running or a stopped instance.
    /// </summary>
    Task Rescue(RescueSpec spec, CancellationToken ct);
    /// <summary>Brings back the instance's own definition and boots it; the rescue disk is removed.</summary>
    Task Unrescue(Guid serverId, CancellationToken ct);
    /// <summary>
    /// Stores the instance's root disk as image <paramref name="imageId"/> in the image service (a standalone
    /// image, no backing file), as Nova's snapshot does. A running or paused guest is saved first and brought back
    /// as it was afterwards (Nova's cold snapshot), so the disk is consistent.
    /// </summary>
    Task Snapshot(Guid serverId, string imageId, CancellationToken ct);
    /// <summary>
    /// Nova's rebuild: the instance's disk replaced by a fresh one from <see cref="InstanceSpec.ImageId"/> (the old one
    /// removed only once the new one exists), the guest defined again and started unless <paramref name="powerOn"/>
    /// is false. Safe to repeat.
    /// </summary>
    Task Rebuild(InstanceSpec spec, bool powerOn, CancellationToken ct);
    /// <summary>
    /// Nova's finish_migration on the target: the guest from the handed-over disk (<see cref="InstanceSpec.ImageId"/>)
    /// with the new flavor, started when <paramref name="powerOn"/>. On the source host itself (<paramref name="sameHost"/>)
    /// the old guest is kept aside, whole, for a revert. Safe to repeat.
    /// </summary>
    Task FinishMigration(InstanceSpec spec, bool sameHost, bool powerOn, CancellationToken ct);
    /// <summary>Nova's confirm_migration on the source: the old guest goes (on one host: the one kept aside). Safe to repeat.</summary>
    Task ConfirmMigration(Guid serverId, bool sameHost, CancellationToken ct);
    /// <summary>
    /// Nova's revert_resize on the target: the new guest goes; on one host the kept-aside guest comes back, shut down.
    /// Safe to repeat.
    /// </summary>
    Task RevertMigration(Guid serverId, bool sameHost, CancellationToken ct);
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
