namespace Nova.Domain.Servers;

// createImage: image_snapshot_pending → image_snapshot → image_pending_upload → image_uploading → no task;
// createBackup: image_backup → image_pending_upload → image_uploading → no task. The server keeps its state throughout;
// the image is created queued with the request, filled by the host, active when complete.

/// <summary>The image a server's snapshot or backup is being written to, and which of the two it is.</summary>
/// <param name="Action"><see cref="ServerAction.CreateImage"/> or <see cref="ServerAction.CreateBackup"/>.</param>
/// <param name="BackupType">A backup's type (e.g. daily); null for a snapshot.</param>
/// <param name="Rotation">How many backups of that type the server keeps; null for a snapshot.</param>
public sealed record ServerSnapshot(Guid ImageId, ServerAction Action, string? BackupType = null, int? Rotation = null);

/// <summary>createImage accepted: the image exists, queued (created with this event).</summary>
public sealed record ServerImageCreateRequested(Guid ServerId, string Host, Guid ImageId) : IHostActionRequested
{
    public ServerAction Requested() => ServerAction.CreateImage;
}

/// <summary>createBackup accepted: the image exists, queued; after it is stored, the oldest beyond <see cref="Rotation"/> go.</summary>
public sealed record ServerBackupRequested(Guid ServerId, string Host, Guid ImageId, string BackupType, int Rotation) : IHostActionRequested
{
    public ServerAction Requested() => ServerAction.CreateBackup;
}

/// <summary>The host moved the snapshot to its next step (image_snapshot, image_pending_upload, image_uploading).</summary>
public sealed record ServerSnapshotStepStarted(Guid ServerId, string Host, TaskState Step) : IServerEvent;

/// <summary>The disk is stored as <see cref="ImageId"/>, which is active now.</summary>
public sealed record ServerSnapshotted(Guid ServerId, string Host, Guid ImageId, ServerAction Action) : IHostActionCompleted
{
    public ServerAction Completed() => Action;
}

public static class SnapshotEvents
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(ServerImageCreateRequested), typeof(ServerBackupRequested), typeof(ServerSnapshotStepStarted), typeof(ServerSnapshotted),
    ];

    /// <summary>The steps of a snapshot or backup in order; -1 for any other task.</summary>
    public static int Order(TaskState? task) => task switch
    {
        TaskState.ImageSnapshotPending or TaskState.ImageBackup => 0,
        TaskState.ImageSnapshot => 1,
        TaskState.ImagePendingUpload => 2,
        TaskState.ImageUploading => 3,
        _ => -1,
    };
}

/// <summary>The rows of createImage and createBackup in the state table.</summary>
public static class SnapshotDecision
{
    /// <summary>Nova takes snapshots and backups of locked servers too: a lock guards against changes, a snapshot changes nothing.</summary>
    public static IReadOnlyList<object> Request(Server state, ServerAction action, Func<object> decide)
    {
        if (state.VmState is not (VmState.Active or VmState.Stopped or VmState.Paused or VmState.Suspended)
            || state.TaskState is not null || state.Host is null)
            throw ServerConflict.InvalidState(action, state);
        return [decide()];
    }

    public static IReadOnlyList<object> Step(Server state, ServerCommand.RecordSnapshotStep c) =>
        state.Host == c.Host && state.Snapshot is not null && SnapshotEvents.Order(state.TaskState) >= 0
        && SnapshotEvents.Order(c.Step) > SnapshotEvents.Order(state.TaskState)
            ? [new ServerSnapshotStepStarted(state.Id, c.Host, c.Step)] : [];

    public static IReadOnlyList<object> Snapshotted(Server state, ServerCommand.RecordSnapshotted c) =>
        state.Host == c.Host && state.Snapshot is { } s && SnapshotEvents.Order(state.TaskState) >= 0
            ? [new ServerSnapshotted(state.Id, c.Host, s.ImageId, s.Action)] : [];
}
