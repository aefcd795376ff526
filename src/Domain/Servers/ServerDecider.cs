using Nova.Domain.Flavors;

namespace Nova.Domain.Servers;

/// <summary>Who asks: lock rules and audit depend on it.</summary>
public sealed record Requester(string UserId, string ProjectId, bool IsAdmin);

/// <summary>What can be asked of a server: by users through the API, by the scheduler, by its host.</summary>
public abstract partial record ServerCommand
{
    // User commands
    public sealed record Create(
        Guid ServerId, string Name, Requester By, FlavorSpec Flavor, string ImageId,
        IReadOnlyDictionary<string, string> Metadata, string Networks, DateTimeOffset Now,
        string? AvailabilityZone = null, Guid? GroupId = null, CreateBatch? Batch = null,
        string? KeyName = null, string? KeyData = null, IReadOnlyList<string>? Tags = null,
        string? ReservationId = null, string? UserData = null) : ServerCommand;
    public sealed record Stop(Requester By) : ServerCommand;
    public sealed record Start(Requester By) : ServerCommand;
    public sealed record Reboot(Requester By, RebootType Type) : ServerCommand;
    public sealed record Lock(Requester By, string? Reason) : ServerCommand;
    public sealed record Unlock(Requester By) : ServerCommand;
    /// <summary>os-resetState: an admin's repair of a record stuck in a task or state; nothing is asked of the host.</summary>
    public sealed record ResetState(Requester By, VmState State) : ServerCommand;
    /// <summary><paramref name="HostIsUp"/>: false lets the API delete locally, as Nova does when the compute service is down.</summary>
    public sealed record Delete(Requester By, bool HostIsUp, DateTimeOffset Now) : ServerCommand;
    public sealed record Pause(Requester By) : ServerCommand;
    public sealed record Unpause(Requester By) : ServerCommand;
    public sealed record Suspend(Requester By) : ServerCommand;
    public sealed record Resume(Requester By) : ServerCommand;
    /// <summary><paramref name="RescueImageId"/>: the request's rescue_image_ref; the server's own image when null.</summary>
    public sealed record Rescue(Requester By, string? RescueImageId) : ServerCommand;
    public sealed record Unrescue(Requester By) : ServerCommand;
    /// <summary><paramref name="ImageId"/>: the image the disk is to be stored as, created alongside.</summary>
    public sealed record Shelve(Requester By, Guid ImageId) : ServerCommand;
    public sealed record ShelveOffload(Requester By) : ServerCommand;
    public sealed record Unshelve(Requester By) : ServerCommand;
    /// <summary><paramref name="ImageId"/>: the new image (checked against the flavor by the caller); name and metadata replace the old when given.</summary>
    public sealed record Rebuild(Requester By, string ImageId, string? Name = null, IReadOnlyDictionary<string, string>? Metadata = null,
        bool PreserveEphemeral = false) : ServerCommand;
    /// <summary><paramref name="ImageId"/>: the image the snapshot is written to, created queued alongside.</summary>
    public sealed record CreateImage(Requester By, Guid ImageId) : ServerCommand;
    public sealed record CreateBackup(Requester By, Guid ImageId, string BackupType, int Rotation) : ServerCommand;

    // Scheduler results
    public sealed record RecordScheduled(string Host, IReadOnlyList<string>? Alternates = null, string? Zone = null) : ServerCommand;
    public sealed record RecordSchedulingFailed(ServerFault Fault) : ServerCommand;

    // Host reports: idempotent, and ignored when the server has moved on (a redelivery or a stale report)
    public sealed record RecordBuildStep(string Host, TaskState Step) : ServerCommand;
    public sealed record RecordBuilt(string Host, DateTimeOffset LaunchedAt) : ServerCommand;
    /// <summary><paramref name="Retryable"/>: a hypervisor failure, worth another host; not a user error.</summary>
    public sealed record RecordBuildFailed(string Host, ServerFault Fault, bool Retryable = false) : ServerCommand;
    public sealed record RecordStopped(string Host) : ServerCommand;
    public sealed record RecordStarted(string Host) : ServerCommand;
    public sealed record RecordRebooted(string Host) : ServerCommand;
    public sealed record RecordActionFailed(string Host, ServerAction Action, string Message) : ServerCommand;
    public sealed record RecordDeleted(string Host, DateTimeOffset Now) : ServerCommand;
    /// <summary>The power-state sync's observation; ignored while any task is in progress (Nova's race with user actions).</summary>
    public sealed record RecordPowerState(string Host, PowerState Observed) : ServerCommand;
    public sealed record RecordPaused(string Host) : ServerCommand;
    public sealed record RecordUnpaused(string Host) : ServerCommand;
    public sealed record RecordSuspended(string Host) : ServerCommand;
    public sealed record RecordResumed(string Host) : ServerCommand;
    public sealed record RecordRescued(string Host) : ServerCommand;
    public sealed record RecordUnrescued(string Host) : ServerCommand;
    public sealed record RecordShelveStep(string Host, TaskState Step) : ServerCommand;
    /// <summary><paramref name="OffloadNow"/>: shelved_offload_time is 0, so the host is asked to offload at once.</summary>
    public sealed record RecordShelved(string Host, DateTimeOffset Now, bool OffloadNow) : ServerCommand;
    public sealed record RecordShelveOffloaded(string Host) : ServerCommand;
    public sealed record RecordUnshelved(string Host, DateTimeOffset Now) : ServerCommand;
    /// <summary>The host could not bring the server back (an offloaded one stays offloaded, a shelved one shelved).</summary>
    public sealed record RecordUnshelveFailed(string Host, ServerFault Fault) : ServerCommand;
    public sealed record RecordRebuildStep(string Host, TaskState Step) : ServerCommand;
    public sealed record RecordRebuilt(string Host, DateTimeOffset Now) : ServerCommand;
    public sealed record RecordRebuildFailed(string Host, ServerFault Fault) : ServerCommand;
    public sealed record RecordSnapshotStep(string Host, TaskState Step) : ServerCommand;
    public sealed record RecordSnapshotted(string Host) : ServerCommand;

    // The control plane's own ends
    /// <summary>
    /// <paramref name="Operation"/> (sent to <paramref name="Host"/>, or to the scheduler when null) got no answer within its
    /// deadline after <paramref name="Attempts"/> sends: the task ends as its failure would end it.
    /// </summary>
    public sealed record RecordOperationTimedOut(string? Host, string Operation, int Attempts, DateTimeOffset Now) : ServerCommand;
    /// <summary>The host's reconciliation found no guest for a server it should hold.</summary>
    public sealed record RecordGuestLost(string Host) : ServerCommand;
    /// <summary>The host's reconciliation found a guest of this (deleted or moved) server; <paramref name="Reaped"/> by policy.</summary>
    public sealed record RecordOrphanGuest(string Host, bool Reaped) : ServerCommand;
}

/// <summary>Nova's allowed-state table as a pure decider: Decide(command, state) → events.</summary>
public static class ServerDecider
{
    private static readonly object[] Nothing = [];

    public static IReadOnlyList<object> Decide(ServerCommand command, Server? state)
    {
        if (command is ServerCommand.Create create)
            return state is null
                ? [new ServerCreateRequested(create.ServerId, create.Name, create.By.ProjectId, create.By.UserId,
                    create.Flavor, create.ImageId, create.Metadata, create.Networks, create.Now,
                    create.AvailabilityZone, create.GroupId, create.Batch, create.KeyName, create.KeyData,
                    create.ReservationId, ServerHostname.From(create.Name, create.ServerId), create.UserData),
                .. TagDecision.AtCreate(create.ServerId, create.Tags)]
                : throw new ServerConflict($"Instance {create.ServerId} already exists");

        // A guest left behind by a deleted server is recorded in that server's history.
        if (command is ServerCommand.RecordOrphanGuest orphan && state is { VmState: VmState.Deleted })
            return [new OrphanGuestFound(state.Id, orphan.Host, orphan.Reaped)];
        if (state is null || state.VmState == VmState.Deleted)
            return IsUserCommand(command)
                ? throw new ServerNotFound(state?.Id ?? Guid.Empty)
                : Nothing; // a late report for a server that is gone

        if (ResizeDecider.Decide(command, state) is { } resize) return resize;
        if (UpdateDecision.Decide(command, state) is { } update) return update;
        if (MetadataDecision.Decide(command, state) is { } metadata) return metadata;
        if (TagDecision.Decide(command, state) is { } tags) return tags;
        var id = state.Id;
        return command switch
        {
            ServerCommand.Stop c => UserAction(state, c.By, ServerAction.Stop,
                state.VmState is VmState.Active or VmState.Error && state.TaskState is null,
                () => new ServerStopRequested(id, state.Host!)),
            ServerCommand.Start c => UserAction(state, c.By, ServerAction.Start,
                state.VmState is VmState.Stopped && state.TaskState is null,
                () => new ServerStartRequested(id, state.Host!)),
            ServerCommand.Reboot { Type: RebootType.Soft } c => UserAction(state, c.By, ServerAction.Reboot,
                state.VmState is VmState.Active && state.TaskState is null,
                () => new ServerRebootRequested(id, state.Host!, RebootType.Soft)),
            ServerCommand.Reboot c => UserAction(state, c.By, ServerAction.Reboot,
                state.VmState is VmState.Active or VmState.Stopped or VmState.Paused or VmState.Suspended or VmState.Error
                && state.TaskState is null && state.Host is not null,
                () => new ServerRebootRequested(id, state.Host!, RebootType.Hard)),
            ServerCommand.Lock c => Lock(state, c),
            ServerCommand.Unlock c => Unlock(state, c),
            ServerCommand.ResetState c => c.By.IsAdmin && c.State is VmState.Active or VmState.Error
                ? [new ServerStateReset(id, c.State)]
                : throw new ArgumentException("Only an admin resets a server, to active or error", nameof(command)),
            ServerCommand.Delete c => Delete(state, c),
            ServerCommand.Pause c => UserAction(state, c.By, ServerAction.Pause,
                state.VmState is VmState.Active && state.TaskState is null, () => new ServerPauseRequested(id, state.Host!)),
            ServerCommand.Unpause c => UserAction(state, c.By, ServerAction.Unpause,
                state.VmState is VmState.Paused && state.TaskState is null, () => new ServerUnpauseRequested(id, state.Host!)),
            ServerCommand.Suspend c => UserAction(state, c.By, ServerAction.Suspend,
                state.VmState is VmState.Active && state.TaskState is null, () => new ServerSuspendRequested(id, state.Host!)),
            ServerCommand.Resume c => UserAction(state, c.By, ServerAction.Resume,
                state.VmState is VmState.Suspended && state.TaskState is null, () => new ServerResumeRequested(id, state.Host!)),
            ServerCommand.Rescue c => UserAction(state, c.By, ServerAction.Rescue,
                state.VmState is VmState.Active or VmState.Stopped or VmState.Error && state.TaskState is null,
                () => new ServerRescueRequested(id, state.Host!, c.RescueImageId ?? state.ImageId)),
            ServerCommand.Unrescue c => UserAction(state, c.By, ServerAction.Unrescue,
                state.VmState is VmState.Rescued && state.TaskState is null, () => new ServerUnrescueRequested(id, state.Host!)),
            ServerCommand.Shelve c => UserAction(state, c.By, ServerAction.Shelve,
                state.VmState is VmState.Active or VmState.Stopped or VmState.Paused or VmState.Suspended && state.TaskState is null,
                () => new ServerShelveRequested(id, state.Host!, c.ImageId)),
            ServerCommand.ShelveOffload c => UserAction(state, c.By, ServerAction.ShelveOffload,
                state.VmState is VmState.Shelved && state.TaskState is null, () => new ServerShelveOffloadRequested(id, state.Host!)),
            // An offloaded server has no host: the scheduler finds one.
            ServerCommand.Unshelve c => UserAction(state, c.By, ServerAction.Unshelve,
                state.VmState is VmState.Shelved or VmState.ShelvedOffloaded && state.TaskState is null
                && (state.VmState == VmState.ShelvedOffloaded || state.Host is not null),
                () => new ServerUnshelveRequested(id, state.VmState == VmState.Shelved ? state.Host : null), needsHost: false),
            ServerCommand.Rebuild c => RebuildDecision.Rebuild(state, c),
            ServerCommand.CreateImage c => SnapshotDecision.Request(state, ServerAction.CreateImage,
                () => new ServerImageCreateRequested(id, state.Host!, c.ImageId)),
            ServerCommand.CreateBackup c => SnapshotDecision.Request(state, ServerAction.CreateBackup,
                () => new ServerBackupRequested(id, state.Host!, c.ImageId, c.BackupType, c.Rotation)),

            ServerCommand.RecordScheduled c => !state.NeedsHost ? Nothing
                : state.VmState == VmState.ShelvedOffloaded ? [new ServerUnshelveScheduled(id, c.Host, c.Zone)]
                : [new ServerScheduled(id, c.Host, c.Alternates ?? [], c.Zone)],
            ServerCommand.RecordSchedulingFailed c => !state.NeedsHost ? Nothing
                : state.VmState == VmState.ShelvedOffloaded ? [new ServerUnshelveFailed(id, null, c.Fault)]
                : [new ServerSchedulingFailed(id, c.Fault)],
            ServerCommand.RecordBuildStep c =>
                state.VmState == VmState.Building && state.Host == c.Host && state.TaskState != TaskState.Deleting
                && BuildOrder(c.Step) > Math.Max(0, BuildOrder(state.TaskState))
                    ? [new ServerBuildStepStarted(id, c.Host, c.Step)] : Nothing,
            ServerCommand.RecordBuilt c =>
                state.VmState == VmState.Building && state.Host == c.Host && state.TaskState != TaskState.Deleting
                    ? [new ServerBuilt(id, c.Host, c.LaunchedAt)] : Nothing,
            ServerCommand.RecordBuildFailed c =>
                state.VmState == VmState.Building && state.Host == c.Host && state.TaskState != TaskState.Deleting
                    ? [BuildFailure(state, c)] : Nothing,
            ServerCommand.RecordStopped c =>
                state.TaskState == TaskState.PoweringOff && state.Host == c.Host ? [new ServerStopped(id, c.Host)] : Nothing,
            ServerCommand.RecordStarted c =>
                state.TaskState == TaskState.PoweringOn && state.Host == c.Host ? [new ServerStarted(id, c.Host)] : Nothing,
            ServerCommand.RecordRebooted c =>
                state.TaskState is TaskState.Rebooting or TaskState.RebootingHard && state.Host == c.Host
                    ? [new ServerRebooted(id, c.Host)] : Nothing,
            // A rebuild that failed leaves ERROR with the fault, as Nova; it is not rolled back.
            ServerCommand.RecordActionFailed { Action: ServerAction.Rebuild } c => RebuildDecision.Failed(state, c.Host, new ServerFault(500, c.Message)),
            ServerCommand.RecordActionFailed c =>
                state.TaskState == TaskStateOf(c.Action, state.TaskState) && state.TaskState is not null && state.Host == c.Host
                    ? [new ServerActionFailed(id, c.Host, c.Action, c.Message)] : Nothing,
            ServerCommand.RecordPowerState c =>
                state.Host == c.Host && state.TaskState is null && state.VmState is VmState.Active or VmState.Stopped
                && state.PowerState != c.Observed
                    ? [new ServerPowerStateChanged(id, c.Host, c.Observed)] : Nothing,
            ServerCommand.RecordDeleted c =>
                state.TaskState == TaskState.Deleting && state.Host == c.Host ? [new ServerDeleted(id, c.Now)] : Nothing,
            ServerCommand.RecordPaused c => Reported(state, c.Host, TaskState.Pausing, () => new ServerPaused(id, c.Host)),
            ServerCommand.RecordUnpaused c => Reported(state, c.Host, TaskState.Unpausing, () => new ServerUnpaused(id, c.Host)),
            ServerCommand.RecordSuspended c => Reported(state, c.Host, TaskState.Suspending, () => new ServerSuspended(id, c.Host)),
            ServerCommand.RecordResumed c => Reported(state, c.Host, TaskState.Resuming, () => new ServerResumed(id, c.Host)),
            ServerCommand.RecordRescued c => Reported(state, c.Host, TaskState.Rescuing, () => new ServerRescued(id, c.Host)),
            ServerCommand.RecordUnrescued c => Reported(state, c.Host, TaskState.Unrescuing, () => new ServerUnrescued(id, c.Host)),
            ServerCommand.RecordShelveStep c =>
                state.Host == c.Host && ShelveOrder(c.Step) > ShelveOrder(state.TaskState) && ShelveOrder(state.TaskState) >= 0
                    ? [new ServerShelveStepStarted(id, c.Host, c.Step)] : Nothing,
            ServerCommand.RecordShelved c =>
                state.Host == c.Host && ShelveOrder(state.TaskState) >= 0 && state.ShelveImageId is { } image
                    ? c.OffloadNow
                        ? [new ServerShelved(id, c.Host, image, c.Now), new ServerShelveOffloadRequested(id, c.Host)]
                        : [new ServerShelved(id, c.Host, image, c.Now)]
                    : Nothing,
            ServerCommand.RecordShelveOffloaded c =>
                Reported(state, c.Host, TaskState.ShelvingOffloading, () => new ServerShelveOffloaded(id, c.Host)),
            ServerCommand.RecordUnshelved c =>
                Reported(state, c.Host, TaskState.Unshelving, () => new ServerUnshelved(id, c.Host, state.ShelveImageId, c.Now)),
            ServerCommand.RecordUnshelveFailed c => state.TaskState == TaskState.Unshelving && state.Host == c.Host
                ? state.VmState == VmState.ShelvedOffloaded
                    ? [new ServerUnshelveFailed(id, c.Host, c.Fault)]
                    : [new ServerActionFailed(id, c.Host, ServerAction.Unshelve, c.Fault.Message)]
                : Nothing,
            ServerCommand.RecordRebuildStep c => RebuildDecision.Step(state, c),
            ServerCommand.RecordRebuilt c => RebuildDecision.Rebuilt(state, c),
            ServerCommand.RecordRebuildFailed c => RebuildDecision.Failed(state, c.Host, c.Fault),
            ServerCommand.RecordSnapshotStep c => SnapshotDecision.Step(state, c),
            ServerCommand.RecordSnapshotted c => SnapshotDecision.Snapshotted(state, c),
            ServerCommand.RecordOperationTimedOut c => TimedOut(state, c),
            ServerCommand.RecordGuestLost c =>
                state.Host == c.Host && state.TaskState is null
                && state.VmState is VmState.Active or VmState.Stopped or VmState.Paused or VmState.Suspended or VmState.Rescued
                    ? [new ServerGuestLost(id, c.Host, new ServerFault(500,
                        $"The guest of this server is gone from its host {c.Host}; delete the server or reset its state and reboot it (hard)."))]
                    : Nothing,
            ServerCommand.RecordOrphanGuest c => state.Host != c.Host ? [new OrphanGuestFound(id, c.Host, c.Reaped)] : Nothing,
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "unknown server command"),
        };
    }

    public static Server? Fold(IEnumerable<object> events) =>
        events.Aggregate((Server?)null, (state, e) => Server.Evolve(state, e));

    /// <summary>What a user may ask of a server; a report, a scheduler result or anything else is not (a late one for a gone server decides nothing).</summary>
    private static bool IsUserCommand(ServerCommand command) => command is ServerCommand.Stop or ServerCommand.Start
        or ServerCommand.Reboot or ServerCommand.Lock or ServerCommand.Unlock or ServerCommand.Delete or ServerCommand.ResetState
        or ServerCommand.Pause or ServerCommand.Unpause or ServerCommand.Suspend or ServerCommand.Resume
        or ServerCommand.Rescue or ServerCommand.Unrescue or ServerCommand.Shelve or ServerCommand.ShelveOffload or ServerCommand.Unshelve
        or ServerCommand.Rebuild or ServerCommand.CreateImage or ServerCommand.CreateBackup
        || ResizeDecider.IsUserCommand(command) || UpdateDecision.IsUserCommand(command)
        || MetadataDecision.IsUserCommand(command) || TagDecision.IsUserCommand(command);

    /// <summary><paramref name="needsHost"/>: the action asks the server's host, so a server without one is in the wrong state.</summary>
    private static IReadOnlyList<object> UserAction(
        Server state, Requester by, ServerAction action, bool allowed, Func<object> decide, bool needsHost = true)
    {
        if (state.Locked && !by.IsAdmin) throw ServerConflict.IsLocked(state.Id);
        if (!allowed || needsHost && state.Host is null) throw ServerConflict.InvalidState(action, state);
        return [decide()];
    }

    /// <summary>A host's report that ends <paramref name="task"/>: only while that task runs on that host (else a redelivery or stale).</summary>
    private static IReadOnlyList<object> Reported(Server state, string host, TaskState task, Func<object> decide) =>
        state.TaskState == task && state.Host == host ? [decide()] : Nothing;

    /// <summary>Shelving's steps in order; -1 for any other task.</summary>
    private static int ShelveOrder(TaskState? task) => task switch
    {
        TaskState.Shelving => 0,
        TaskState.ShelvingImagePendingUpload => 1,
        TaskState.ShelvingImageUploading => 2,
        _ => -1,
    };

    private static IReadOnlyList<object> Lock(Server state, ServerCommand.Lock c) =>
        state.Locked ? Nothing : [new ServerLocked(state.Id, c.By.IsAdmin && c.By.ProjectId != state.ProjectId ? "admin" : "owner", c.Reason)];

    private static IReadOnlyList<object> Unlock(Server state, ServerCommand.Unlock c)
    {
        if (!state.Locked) return Nothing;
        // Nova: only an admin may lift a lock an admin placed
        if (state.LockedBy == "admin" && !c.By.IsAdmin) throw ServerConflict.IsLocked(state.Id);
        return [new ServerUnlocked(state.Id)];
    }

    private static IReadOnlyList<object> Delete(Server state, ServerCommand.Delete c)
    {
        if (state.Locked && !c.By.IsAdmin) throw ServerConflict.IsLocked(state.Id);
        if (state.TaskState == TaskState.Deleting && c.HostIsUp) return Nothing; // already under way
        // No host ever held it, or its host is down: nothing to tear down remotely.
        if (state.Host is null || !c.HostIsUp)
            return [new ServerDeleteRequested(state.Id, state.Host), new ServerDeleted(state.Id, c.Now)];
        return [new ServerDeleteRequested(state.Id, state.Host)];
    }

    /// <summary>A hypervisor failure goes to the next host while attempts remain; the last one names its cause.</summary>
    private static object BuildFailure(Server state, ServerCommand.RecordBuildFailed c)
    {
        if (c.Retryable && state.Attempts < Server.MaxBuildAttempts)
            return new ServerRescheduled(state.Id, c.Host, c.Fault);
        return new ServerBuildFailed(state.Id, c.Host, c.Retryable
            ? c.Fault with
            {
                Message = $"Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance {state.Id}.",
                Details = $"Last error on {c.Host}: {c.Fault.Message}",
            }
            : c.Fault);
    }

    /// <summary>
    /// The end of a task nobody answered: a build goes to ERROR (its claim stays until the delete, since the host may yet
    /// hold a guest), a delete completes here as Nova's local delete does, and every other action is rolled back to the
    /// state it started from.
    /// </summary>
    private static IReadOnlyList<object> TimedOut(Server state, ServerCommand.RecordOperationTimedOut c)
    {
        if (state.TaskState is not { } task) return Nothing;
        var id = state.Id;
        var where = c.Host is null ? "the scheduler" : $"host {c.Host}";
        var message = $"{c.Operation} of instance {id} got no answer from {where} after {c.Attempts} attempts.";
        var timedOut = new ServerOperationTimedOut(id, c.Host, c.Operation, task, c.Attempts);
        if (ResizeDecider.TimedOut(state, message, c.Now) is { } resizeEnd) return [timedOut, .. resizeEnd];
        object end = (state.VmState, task) switch
        {
            (_, TaskState.Deleting) => new ServerDeleted(id, c.Now),
            (VmState.Building, _) when state.Host is null => new ServerSchedulingFailed(id, new ServerFault(500, ServerFault.NoValidHost, message)),
            (VmState.Building, _) => new ServerBuildFailed(id, state.Host!, new ServerFault(500, message)),
            _ when RebuildEvents.Order(task) >= 0 => new ServerRebuildFailed(id, state.Host ?? c.Host ?? "", new ServerFault(500, message)),
            _ when SnapshotEvents.Order(task) >= 0 && state.Snapshot is { } snapshot =>
                new ServerActionFailed(id, state.Host ?? c.Host ?? "", snapshot.Action, message),
            (VmState.ShelvedOffloaded, TaskState.Unshelving) => new ServerUnshelveFailed(id, state.Host, new ServerFault(500, message)),
            _ when ActionOf(task) is { } action => new ServerActionFailed(id, state.Host ?? c.Host ?? "", action, message),
            _ => new ServerStateReset(id, VmState.Error),
        };
        return [timedOut, end];
    }

    /// <summary>The action a task belongs to: the inverse of <see cref="TaskStateOf"/>.</summary>
    private static ServerAction? ActionOf(TaskState task) => task switch
    {
        TaskState.PoweringOff => ServerAction.Stop,
        TaskState.PoweringOn => ServerAction.Start,
        TaskState.Rebooting or TaskState.RebootingHard => ServerAction.Reboot,
        TaskState.Pausing => ServerAction.Pause,
        TaskState.Unpausing => ServerAction.Unpause,
        TaskState.Suspending => ServerAction.Suspend,
        TaskState.Resuming => ServerAction.Resume,
        TaskState.Rescuing => ServerAction.Rescue,
        TaskState.Unrescuing => ServerAction.Unrescue,
        TaskState.Shelving or TaskState.ShelvingImagePendingUpload or TaskState.ShelvingImageUploading => ServerAction.Shelve,
        TaskState.ShelvingOffloading => ServerAction.ShelveOffload,
        TaskState.Unshelving => ServerAction.Unshelve,
        _ => null,
    };

    private static int BuildOrder(TaskState? task) => task switch
    {
        TaskState.Scheduling => 0,
        TaskState.Networking => 1,
        TaskState.BlockDeviceMapping => 2,
        TaskState.Spawning => 3,
        _ => -1, // not a build step: never "forward"
    };

    private static TaskState? TaskStateOf(ServerAction action, TaskState? current) => action switch
    {
        ServerAction.Stop => TaskState.PoweringOff,
        ServerAction.Start => TaskState.PoweringOn,
        ServerAction.Reboot => current is TaskState.RebootingHard ? TaskState.RebootingHard : TaskState.Rebooting,
        ServerAction.Pause => TaskState.Pausing,
        ServerAction.Unpause => TaskState.Unpausing,
        ServerAction.Suspend => TaskState.Suspending,
        ServerAction.Resume => TaskState.Resuming,
        ServerAction.Rescue => TaskState.Rescuing,
        ServerAction.Unrescue => TaskState.Unrescuing,
        ServerAction.Shelve => ShelveOrder(current) >= 0 ? current : TaskState.Shelving,
        ServerAction.ShelveOffload => TaskState.ShelvingOffloading,
        ServerAction.Unshelve => TaskState.Unshelving,
        ServerAction.CreateImage or ServerAction.CreateBackup => SnapshotEvents.Order(current) >= 0 ? current : TaskState.ImageSnapshotPending,
        _ => null,
    };
}
