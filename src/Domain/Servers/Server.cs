using Nova.Domain.Flavors;

namespace Nova.Domain.Servers;

/// <summary>The write-side state of one server, rebuilt from its stream by <see cref="Evolve"/>.</summary>
public sealed record Server(
    Guid Id,
    string Name,
    string ProjectId,
    string UserId,
    FlavorSpec Flavor,
    string ImageId,
    string Networks,
    VmState VmState,
    TaskState? TaskState,
    PowerState PowerState,
    string? Host,
    bool Locked,
    string? LockedBy,
    string? LockedReason,
    ServerFault? Fault,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LaunchedAt,
    DateTimeOffset? TerminatedAt,
    string? AvailabilityZone = null,
    Guid? GroupId = null,
    int Attempts = 0,
    IReadOnlyList<string>? TriedHosts = null,
    IReadOnlyList<string>? Alternates = null,
    CreateBatch? Batch = null,
    string? HostZone = null,
    Guid? ShelveImageId = null,
    DateTimeOffset? ShelvedAt = null,
    Migration? Migration = null,
    ServerSnapshot? Snapshot = null,
    string? KeyName = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    IReadOnlyList<string>? Tags = null,
    string? Description = null,
    string? AccessIPv4 = null,
    string? AccessIPv6 = null,
    string? ReservationId = null,
    string? Hostname = null,
    string? UserData = null)
{
    /// <summary>Builds a server gets before it goes to error (Nova's max_attempts).</summary>
    public const int MaxBuildAttempts = 3;

    public string Status => ServerStatus.Derive(VmState, TaskState);
    public IReadOnlyList<string> HostsTried => TriedHosts ?? [];
    public IReadOnlyDictionary<string, string> MetadataItems => Metadata ?? new Dictionary<string, string>();
    public IReadOnlyList<string> TagList => Tags ?? [];

    /// <summary>Waiting for the scheduler: a new build, or the unshelve of an offloaded server.</summary>
    public bool NeedsHost => Host is null
        && (VmState == VmState.Building && TaskState == Servers.TaskState.Scheduling
            || VmState == VmState.ShelvedOffloaded && TaskState == Servers.TaskState.Unshelving);

    public static Server Evolve(Server? state, object @event)
    {
        if (@event is ServerCreateRequested created)
            return new Server(created.ServerId, created.Name, created.ProjectId, created.UserId, created.Flavor,
                created.ImageId, created.Networks, VmState.Building, Servers.TaskState.Scheduling,
                PowerState.NoState, null, false, null, null, null, created.RequestedAt, null, null,
                created.AvailabilityZone, created.GroupId, Batch: created.Batch, KeyName: created.KeyName,
                Metadata: new Dictionary<string, string>(created.Metadata), ReservationId: created.ReservationId,
                Hostname: created.Hostname, UserData: created.UserData);

        if (state is null)
            throw new InvalidOperationException($"{@event.GetType().Name} before ServerCreateRequested");

        if (ResizeEvents.Evolve(state, @event) is { } resized) return resized;
        if (UpdateEvents.Evolve(state, @event) is { } updated) return updated;
        if (MetadataEvents.Evolve(state, @event) is { } metadata) return metadata;
        if (TagEvents.Evolve(state, @event) is { } tagged) return tagged;

        return @event switch
        {
            ServerScheduled e => state with
            {
                Host = e.Host, HostZone = e.Zone, Attempts = state.Attempts + 1, Alternates = e.Alternates ?? [],
                TriedHosts = [.. state.HostsTried, e.Host],
            },
            ServerRescheduled e => state with { Host = null, HostZone = null, TaskState = Servers.TaskState.Scheduling, Fault = e.Fault },
            ServerSchedulingFailed e => state with { VmState = VmState.Error, TaskState = null, Fault = e.Fault },
            ServerBuildStepStarted e => state with { Host = e.Host, TaskState = e.Step },
            ServerBuilt e => state with
            {
                Host = e.Host, VmState = VmState.Active, TaskState = null,
                PowerState = PowerState.Running, LaunchedAt = e.LaunchedAt, Fault = null,
            },
            ServerBuildFailed e => state with { VmState = VmState.Error, TaskState = null, Fault = e.Fault },
            ServerStopRequested => state with { TaskState = Servers.TaskState.PoweringOff },
            ServerStopped => state with { VmState = VmState.Stopped, TaskState = null, PowerState = PowerState.Shutdown },
            ServerStartRequested => state with { TaskState = Servers.TaskState.PoweringOn },
            ServerStarted => state with { VmState = VmState.Active, TaskState = null, PowerState = PowerState.Running },
            ServerRebootRequested e => state with
            {
                TaskState = e.Type == RebootType.Hard ? Servers.TaskState.RebootingHard : Servers.TaskState.Rebooting,
            },
            ServerRebooted => state with
            {
                VmState = VmState.Active, TaskState = null, PowerState = PowerState.Running, Fault = null,
            },
            ServerActionFailed e => state with
            {
                TaskState = null,
                // A shelve that failed deletes the image it was writing.
                ShelveImageId = e.Action == ServerAction.Shelve ? null : state.ShelveImageId,
                // So does a snapshot or a backup.
                Snapshot = e.Action is ServerAction.CreateImage or ServerAction.CreateBackup ? null : state.Snapshot,
            },
            ServerPauseRequested => state with { TaskState = Servers.TaskState.Pausing },
            ServerPaused => state with { VmState = VmState.Paused, TaskState = null, PowerState = PowerState.Paused },
            ServerUnpauseRequested => state with { TaskState = Servers.TaskState.Unpausing },
            ServerUnpaused => state with { VmState = VmState.Active, TaskState = null, PowerState = PowerState.Running },
            ServerSuspendRequested => state with { TaskState = Servers.TaskState.Suspending },
            ServerSuspended => state with { VmState = VmState.Suspended, TaskState = null, PowerState = PowerState.Suspended },
            ServerResumeRequested => state with { TaskState = Servers.TaskState.Resuming },
            ServerResumed => state with { VmState = VmState.Active, TaskState = null, PowerState = PowerState.Running },
            ServerRescueRequested => state with { TaskState = Servers.TaskState.Rescuing },
            ServerRescued => state with { VmState = VmState.Rescued, TaskState = null, PowerState = PowerState.Running },
            ServerUnrescueRequested => state with { TaskState = Servers.TaskState.Unrescuing },
            ServerUnrescued => state with { VmState = VmState.Active, TaskState = null, PowerState = PowerState.Running },
            ServerShelveRequested e => state with { TaskState = Servers.TaskState.Shelving, ShelveImageId = e.ImageId },
            ServerShelveStepStarted e => state with { TaskState = e.Step },
            ServerShelved e => state with
            {
                VmState = VmState.Shelved, TaskState = null, PowerState = PowerState.Shutdown,
                ShelveImageId = e.ImageId, ShelvedAt = e.ShelvedAt,
            },
            ServerShelveOffloadRequested => state with { TaskState = Servers.TaskState.ShelvingOffloading },
            ServerShelveOffloaded => state with
            {
                VmState = VmState.ShelvedOffloaded, TaskState = null, PowerState = PowerState.NoState, Host = null, HostZone = null,
            },
            ServerUnshelveRequested => state with { TaskState = Servers.TaskState.Unshelving },
            ServerUnshelveScheduled e => state with { Host = e.Host, HostZone = e.Zone },
            ServerUnshelved e => state with
            {
                VmState = VmState.Active, TaskState = null, PowerState = PowerState.Running, Host = e.Host,
                ShelveImageId = null, ShelvedAt = null, Fault = null,
            },
            ServerUnshelveFailed e => state with
            {
                VmState = VmState.ShelvedOffloaded, TaskState = null, Host = null, HostZone = null, Fault = e.Fault,
            },
            ServerPowerStateChanged e => state with
            {
                PowerState = e.Observed,
                // A guest that stopped on its own is a stopped server; one that runs again after that is not restarted by us.
                VmState = state.VmState == VmState.Active && e.Observed is PowerState.Shutdown or PowerState.Crashed
                    ? VmState.Stopped : state.VmState,
            },
            ServerGuestLost e => state with { VmState = VmState.Error, TaskState = null, PowerState = PowerState.NoState, Fault = e.Fault },
            ServerRebuildRequested e => state with
            {
                TaskState = Servers.TaskState.Rebuilding, ImageId = e.ImageId, Name = e.Name ?? state.Name,
                Metadata = e.Metadata is { } rebuilt ? new Dictionary<string, string>(rebuilt) : state.Metadata,
            },
            ServerRebuildStepStarted e => state with { TaskState = e.Step },
            ServerRebuilt e => state with
            {
                VmState = e.VmState, TaskState = null, Fault = null, LaunchedAt = e.LaunchedAt,
                PowerState = e.VmState == VmState.Stopped ? PowerState.Shutdown : PowerState.Running,
            },
            ServerRebuildFailed e => state with { VmState = VmState.Error, TaskState = null, Fault = e.Fault },
            ServerImageCreateRequested e => state with
            {
                TaskState = Servers.TaskState.ImageSnapshotPending, Snapshot = new ServerSnapshot(e.ImageId, ServerAction.CreateImage),
            },
            ServerBackupRequested e => state with
            {
                TaskState = Servers.TaskState.ImageBackup,
                Snapshot = new ServerSnapshot(e.ImageId, ServerAction.CreateBackup, e.BackupType, e.Rotation),
            },
            ServerSnapshotStepStarted e => state with { TaskState = e.Step },
            ServerSnapshotted => state with { TaskState = null, Snapshot = null },
            ServerLocked e => state with { Locked = true, LockedBy = e.LockedBy, LockedReason = e.Reason },
            ServerUnlocked => state with { Locked = false, LockedBy = null, LockedReason = null },
            // A reset ends a migration or a snapshot too: the server stays where it is now (the other host's claim is given back alongside).
            ServerStateReset e => state with { VmState = e.VmState, TaskState = null, Migration = null, Snapshot = null },
            ServerDeleteRequested => state with { TaskState = Servers.TaskState.Deleting },
            ServerDeleted e => state with
            {
                VmState = VmState.Deleted, TaskState = null, PowerState = PowerState.NoState, TerminatedAt = e.DeletedAt,
            },
            _ => state,
        };
    }
}
