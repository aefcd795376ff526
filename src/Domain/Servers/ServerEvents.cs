using Nova.Domain.Flavors;

namespace Nova.Domain.Servers;

/// <summary>A fault as Nova shows it on a server in error (code, message, details).</summary>
public sealed record ServerFault(int Code, string Message, string? Details = null)
{
    public const string NoValidHost = "No valid host was found.";
}

public interface IServerEvent
{
    Guid ServerId { get; }
}

public sealed record ServerCreateRequested(
    Guid ServerId,
    string Name,
    string ProjectId,
    string UserId,
    FlavorSpec Flavor,
    string ImageId,
    IReadOnlyDictionary<string, string> Metadata,
    string Networks,
    DateTimeOffset RequestedAt,
    string? AvailabilityZone = null,
    Guid? GroupId = null,
    CreateBatch? Batch = null,
    string? KeyName = null,
    string? KeyData = null,
    string? ReservationId = null,
    string? Hostname = null,
    string? UserData = null) : IServerEvent;

/// <summary>
/// The server is number <see cref="Index"/> of a multi-create of <see cref="Size"/>: the scheduler
/// places the batch together and fails all of it when fewer than <see cref="MinCount"/> fit.
/// <see cref="CreationKey"/> is what the batch's server ids derive from (null in events recorded before it was kept:
/// then the create's request id, their correlation id, was that key).
/// </summary>
public sealed record CreateBatch(int Index, int Size, int MinCount, string? CreationKey = null);

/// <summary>The scheduler chose a host (and claimed on it); <see cref="Alternates"/> are next in line if the build fails there.</summary>
/// <param name="Zone">The availability zone of <paramref name="Host"/> when it was chosen: the server's zone from then on.</param>
public sealed record ServerScheduled(Guid ServerId, string Host, IReadOnlyList<string>? Alternates = null, string? Zone = null) : IServerEvent;

/// <summary>The build failed on <see cref="FailedHost"/> (its claim released): back to scheduling, for an alternate.</summary>
public sealed record ServerRescheduled(Guid ServerId, string FailedHost, ServerFault Fault) : IServerEvent;

public sealed record ServerSchedulingFailed(Guid ServerId, ServerFault Fault) : IServerEvent;

/// <summary>The host moved the build to its next step (networking, block_device_mapping, spawning).</summary>
public sealed record ServerBuildStepStarted(Guid ServerId, string Host, TaskState Step) : IServerEvent;

public sealed record ServerBuilt(Guid ServerId, string Host, DateTimeOffset LaunchedAt) : IServerEvent;

public sealed record ServerBuildFailed(Guid ServerId, string Host, ServerFault Fault) : IServerEvent;

/// <summary>
/// A user's action was accepted and its host asked to carry it out (Nova's compute_&lt;action&gt;_instance event
/// in os-instance-actions). A method, not a property, so the stored event carries only its data.
/// </summary>
public interface IHostActionRequested : IServerEvent
{
    string? Host { get; }
    ServerAction Requested();
}

/// <summary>The host carried out the action: its compute_&lt;action&gt;_instance event succeeded.</summary>
public interface IHostActionCompleted : IServerEvent
{
    ServerAction Completed();
}

public sealed record ServerStopRequested(Guid ServerId, string Host) : IHostActionRequested
{
    public ServerAction Requested() => ServerAction.Stop;
}

public sealed record ServerStopped(Guid ServerId, string Host) : IHostActionCompleted
{
    public ServerAction Completed() => ServerAction.Stop;
}

public sealed record ServerStartRequested(Guid ServerId, string Host) : IHostActionRequested
{
    public ServerAction Requested() => ServerAction.Start;
}

public sealed record ServerStarted(Guid ServerId, string Host) : IHostActionCompleted
{
    public ServerAction Completed() => ServerAction.Start;
}

public sealed record ServerRebootRequested(Guid ServerId, string Host, RebootType Type) : IHostActionRequested
{
    public ServerAction Requested() => ServerAction.Reboot;
}

public sealed record ServerRebooted(Guid ServerId, string Host) : IHostActionCompleted
{
    public ServerAction Completed() => ServerAction.Reboot;
}

/// <summary>A host could not carry out a stop, start or reboot: the task is cleared, the vm_state kept.</summary>
public sealed record ServerActionFailed(Guid ServerId, string Host, ServerAction Action, string Message) : IServerEvent;

/// <summary>
/// The host's periodic power-state sync saw the guest in another state than recorded (e.g. shut
/// down from inside): the record follows the hypervisor, as Nova's sync_power_states does.
/// </summary>
public sealed record ServerPowerStateChanged(Guid ServerId, string Host, PowerState Observed) : IServerEvent;

public sealed record ServerLocked(Guid ServerId, string LockedBy, string? Reason) : IServerEvent;

public sealed record ServerUnlocked(Guid ServerId) : IServerEvent;
/// <summary>An admin forced the record to <paramref name="VmState"/> (active or error) and cleared the task (Nova's os-resetState).</summary>
public sealed record ServerStateReset(Guid ServerId, VmState VmState) : IServerEvent;

/// <summary>Delete accepted; <see cref="Host"/> is null when no host ever held the server.</summary>
public sealed record ServerDeleteRequested(Guid ServerId, string? Host) : IServerEvent;

public sealed record ServerDeleted(Guid ServerId, DateTimeOffset DeletedAt) : IServerEvent;

public static class ServerEventTypes
{
    /// <summary>Every server event type, for store registration and relays.</summary>
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(ServerCreateRequested), typeof(ServerScheduled), typeof(ServerRescheduled), typeof(ServerSchedulingFailed),
        typeof(ServerBuildStepStarted), typeof(ServerBuilt), typeof(ServerBuildFailed),
        typeof(ServerStopRequested), typeof(ServerStopped), typeof(ServerStartRequested), typeof(ServerStarted),
        typeof(ServerRebootRequested), typeof(ServerRebooted), typeof(ServerActionFailed),
        typeof(ServerPowerStateChanged), typeof(ServerLocked), typeof(ServerUnlocked), typeof(ServerDeleteRequested), typeof(ServerDeleted),
        typeof(ServerStateReset),
        .. PauseEvents.All, .. SuspendEvents.All, .. RescueEvents.All, .. ShelveEvents.All,
        .. DeadlineEvents.All, .. ReconcileEvents.All, .. ResizeEvents.All, .. RebuildEvents.All, .. SnapshotEvents.All,
        .. UpdateEvents.All, .. MetadataEvents.All, .. TagEvents.All,
    ];
}
