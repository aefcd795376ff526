namespace Nova.Domain.Servers;

/// <summary>Nova's vm_state: where the server is in its life.</summary>
public enum VmState
{
    Building, Active, Stopped, Paused, Suspended, Rescued, Resized,
    SoftDeleted, Deleted, Error, Shelved, ShelvedOffloaded,
}

/// <summary>Nova's task_state: the operation in progress (null when idle).</summary>
public enum TaskState
{
    Scheduling, BlockDeviceMapping, Networking, Spawning,
    PoweringOff, PoweringOn,
    Rebooting, RebootPending, RebootStarted,
    RebootingHard, RebootPendingHard, RebootStartedHard,
    Pausing, Unpausing, Suspending, Resuming, Rescuing, Unrescuing,
    Shelving, ShelvingImagePendingUpload, ShelvingImageUploading, ShelvingOffloading, Unshelving,
    ResizePrep, ResizeMigrating, ResizeMigrated, ResizeFinish, ResizeReverting, ResizeConfirming,
    Rebuilding, RebuildBlockDeviceMapping, RebuildSpawning,
    ImageSnapshotPending, ImageSnapshot, ImagePendingUpload, ImageUploading, ImageBackup,
    Deleting,
}

/// <summary>Nova's power_state codes, as the hypervisor reports them.</summary>
public enum PowerState
{
    NoState = 0,
    Running = 1,
    Paused = 3,
    Shutdown = 4,
    Crashed = 6,
    Suspended = 7,
}

public enum RebootType { Soft, Hard }

/// <summary>The user-facing actions whose state rules the decider enforces.</summary>
public enum ServerAction
{
    Create, Delete, Stop, Start, Reboot, Lock, Unlock,
    Pause, Unpause, Suspend, Resume, Rescue, Unrescue, Shelve, ShelveOffload, Unshelve,
    Resize, ConfirmResize, RevertResize, Migrate, Rebuild, CreateImage, CreateBackup,
}

public static class NovaNames
{
    public static string Of(VmState state) => state switch
    {
        VmState.SoftDeleted => "soft-delete",
        VmState.ShelvedOffloaded => "shelved_offloaded",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static string? Of(TaskState? task) => task switch
    {
        null => null,
        TaskState.PoweringOff => "powering-off",
        TaskState.PoweringOn => "powering-on",
        _ => string.Concat(task.Value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())),
    };

    /// <summary>Nova's instance-action names (os-instance-actions): the API's action names.</summary>
    public static string Of(ServerAction action) => action switch
    {
        _ => char.ToLowerInvariant(action.ToString()[0]) + action.ToString()[1..],
    };

    /// <summary>The host's event of an action in os-instance-actions (Nova's compute manager method): compute_shelve_offload_instance.</summary>
    public static string ComputeEventOf(ServerAction action) => action switch
    {
        ServerAction.ShelveOffload => "compute_shelve_offload_instance",
        ServerAction.Resize or ServerAction.Migrate => "compute_prep_resize",
        ServerAction.ConfirmResize => "compute_confirm_resize",
        ServerAction.RevertResize => "compute_revert_resize",
        ServerAction.CreateImage => "compute_snapshot_instance",
        ServerAction.CreateBackup => "compute_backup_instance",
        _ => $"compute_{action.ToString().ToLowerInvariant()}_instance",
    };
}

/// <summary>The API <c>status</c>, derived from vm_state and task_state as Nova's common.py does.</summary>
public static class ServerStatus
{
    public static string Derive(VmState vm, TaskState? task) => vm switch
    {
        VmState.Building => "BUILD",
        VmState.Active => task switch
        {
            TaskState.Rebooting or TaskState.RebootPending or TaskState.RebootStarted => "REBOOT",
            _ => Moving(task) ?? "ACTIVE",
        },
        VmState.Stopped => Moving(task) ?? "SHUTOFF",
        VmState.Paused => "PAUSED",
        VmState.Suspended => "SUSPENDED",
        VmState.Rescued => "RESCUE",
        VmState.Resized => task is TaskState.ResizeReverting ? "REVERT_RESIZE" : "VERIFY_RESIZE",
        VmState.SoftDeleted => "SOFT_DELETED",
        VmState.Deleted => "DELETED",
        VmState.Error => Moving(task) is { } moving and not "RESIZE" ? moving : "ERROR",
        VmState.Shelved => "SHELVED",
        VmState.ShelvedOffloaded => "SHELVED_OFFLOADED",
        _ => "UNKNOWN",
    };

    /// <summary>The status a task shows over its vm_state (Nova's _STATE_MAP rows shared by several states).</summary>
    private static string? Moving(TaskState? task) => task switch
    {
        TaskState.RebootingHard or TaskState.RebootPendingHard or TaskState.RebootStartedHard => "HARD_REBOOT",
        TaskState.Rebuilding or TaskState.RebuildBlockDeviceMapping or TaskState.RebuildSpawning => "REBUILD",
        TaskState.ResizePrep or TaskState.ResizeMigrating or TaskState.ResizeMigrated or TaskState.ResizeFinish => "RESIZE",
        _ => null,
    };
}
