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
        TaskState.BlockDeviceMapping => "block_device_mapping",
        TaskState.PoweringOff => "powering-off",
        TaskState.PoweringOn => "powering-on",
        TaskState.RebootPending => "reboot_pending",
        TaskState.RebootStarted => "reboot_started",
        TaskState.RebootingHard => "rebooting_hard",
        TaskState.RebootPendingHard => "reboot_pending_hard",
        TaskState.RebootStartedHard => "reboot_started_hard",
        TaskState.ShelvingImagePendingUpload => "shelving_image_pending_upload",
        TaskState.ShelvingImageUploading => "shelving_image_uploading",
        TaskState.ShelvingOffloading => "shelving_offloading",
        TaskState.ResizePrep => "resize_prep",
        TaskState.ResizeMigrating => "resize_migrating",
        TaskState.ResizeMigrated => "resize_migrated",
        TaskState.ResizeFinish => "resize_finish",
        TaskState.ResizeReverting => "resize_reverting",
        TaskState.ResizeConfirming => "resize_confirming",
        TaskState.RebuildBlockDeviceMapping => "rebuild_block_device_mapping",
        TaskState.RebuildSpawning => "rebuild_spawning",
        TaskState.ImageSnapshotPending => "image_snapshot_pending",
        TaskState.ImageSnapshot => "image_snapshot",
        TaskState.ImagePendingUpload => "image_pending_upload",
        TaskState.ImageUploading => "image_uploading",
        TaskState.ImageBackup => "image_backup",
        _ => task.Value.ToString().ToLowerInvariant(),
    };

    /// <summary>Nova's instance-action names (os-instance-actions): the API's action names.</summary>
    public static string Of(ServerAction action) => action switch
    {
        ServerAction.ShelveOffload => "shelveOffload",
        ServerAction.ConfirmResize => "confirmResize",
        ServerAction.RevertResize => "revertResize",
        ServerAction.CreateImage => "createImage",
        ServerAction.CreateBackup => "createBackup",
        _ => action.ToString().ToLowerInvariant(),
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
            TaskState.RebootingHard or TaskState.RebootPendingHard or TaskState.RebootStartedHard => "HARD_REBOOT",
            TaskState.Rebuilding or TaskState.RebuildBlockDeviceMapping or TaskState.RebuildSpawning => "REBUILD",
            TaskState.ResizePrep or TaskState.ResizeMigrating or TaskState.ResizeMigrated or TaskState.ResizeFinish => "RESIZE",
            _ => "ACTIVE",
        },
        VmState.Stopped => task switch
        {
            TaskState.RebootingHard or TaskState.RebootPendingHard or TaskState.RebootStartedHard => "HARD_REBOOT",
            TaskState.Rebuilding or TaskState.RebuildBlockDeviceMapping or TaskState.RebuildSpawning => "REBUILD",
            TaskState.ResizePrep or TaskState.ResizeMigrating or TaskState.ResizeMigrated or TaskState.ResizeFinish => "RESIZE",
            _ => "SHUTOFF",
        },
        VmState.Paused => "PAUSED",
        VmState.Suspended => "SUSPENDED",
        VmState.Rescued => "RESCUE",
        VmState.Resized => task is TaskState.ResizeReverting ? "REVERT_RESIZE" : "VERIFY_RESIZE",
        VmState.SoftDeleted => "SOFT_DELETED",
        VmState.Deleted => "DELETED",
        VmState.Error => task switch
        {
            TaskState.RebootingHard or TaskState.RebootPendingHard or TaskState.RebootStartedHard => "HARD_REBOOT",
            TaskState.Rebuilding or TaskState.RebuildBlockDeviceMapping or TaskState.RebuildSpawning => "REBUILD",
            _ => "ERROR",
        },
        VmState.Shelved => "SHELVED",
        VmState.ShelvedOffloaded => "SHELVED_OFFLOADED",
        _ => "UNKNOWN",
    };
}
