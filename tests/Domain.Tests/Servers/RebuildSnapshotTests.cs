using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>rebuild, createImage and createBackup: every step an event, every failure point ends the task.</summary>
public class RebuildSnapshotTests
{
    private const string NewImage = "new-image";
    private static readonly Guid SnapshotImage = Guid.Parse("7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    private static readonly DateTimeOffset Now = A.T0.AddMinutes(20);

    private static ServerCommand Rebuild(Requester? by = null) => new ServerCommand.Rebuild(by ?? A.Owner, NewImage, "renamed");
    private static ServerRebuildRequested RebuildRequested() => new(A.ServerId, A.Host, NewImage, "renamed", null, false);
    private static object[] Rebuilding(string from = "active") => [.. History.Of(from), RebuildRequested()];
    private static object[] Snapshotting(string from = "active") => [.. History.Of(from), new ServerImageCreateRequested(A.ServerId, A.Host, SnapshotImage)];
    private static object[] BackingUp() => [.. History.Of("active"), new ServerBackupRequested(A.ServerId, A.Host, SnapshotImage, "daily", 2)];

    [Theory]
    [InlineData("active")]
    [InlineData("stopped")]
    [InlineData("error")]
    public void Rebuild_is_allowed_from_Novas_states_and_changes_image_and_name_at_once(string state)
    {
        Given(History.Of(state)).When(Rebuild()).Then(RebuildRequested());
        var rebuilding = ServerDecider.Fold(Rebuilding(state))!;
        Assert.Equal(("REBUILD", "rebuilding", NewImage, "renamed", A.Host),
            (rebuilding.Status, NovaNames.Of(rebuilding.TaskState), rebuilding.ImageId, rebuilding.Name, rebuilding.Host));
    }

    [Theory]
    [InlineData("paused")]
    [InlineData("suspended")]
    [InlineData("rescued")]
    [InlineData("shelved")]
    [InlineData("active/powering-off")]
    [InlineData("building/spawning")]
    public void Rebuild_elsewhere_is_a_conflict(string state) =>
        Given(History.Of(state)).When(Rebuild()).ThenThrows<ServerConflict>();

    [Fact]
    public void A_locked_server_is_rebuilt_only_by_an_admin()
    {
        Given([.. History.Of("active"), A.LockedByOwner()]).When(Rebuild()).ThenThrows<ServerConflict>();
        Given([.. History.Of("active"), A.LockedByOwner()]).When(Rebuild(A.CloudAdmin)).Then(RebuildRequested());
    }

    [Fact]
    public void The_rebuild_steps_go_forward_only_and_end_active_on_the_same_host()
    {
        Given(Rebuilding()).When(new ServerCommand.RecordRebuildStep(A.Host, TaskState.RebuildBlockDeviceMapping))
            .Then(new ServerRebuildStepStarted(A.ServerId, A.Host, TaskState.RebuildBlockDeviceMapping));
        object[] spawning = [.. Rebuilding(), new ServerRebuildStepStarted(A.ServerId, A.Host, TaskState.RebuildSpawning)];
        Given(spawning).When(new ServerCommand.RecordRebuildStep(A.Host, TaskState.RebuildBlockDeviceMapping)).ThenNothing();
        Given(spawning).When(new ServerCommand.RecordRebuildStep(A.OtherHost, TaskState.RebuildSpawning)).ThenNothing();
        Given(spawning).When(new ServerCommand.RecordRebuilt(A.Host, Now)).Then(new ServerRebuilt(A.ServerId, A.Host, VmState.Active, Now));
        var rebuilt = ServerDecider.Fold([.. spawning, new ServerRebuilt(A.ServerId, A.Host, VmState.Active, Now)])!;
        Assert.Equal((VmState.Active, (TaskState?)null, PowerState.Running, A.Host, NewImage, A.Flavor),
            (rebuilt.VmState, rebuilt.TaskState, rebuilt.PowerState, rebuilt.Host, rebuilt.ImageId, rebuilt.Flavor));
        Given([.. spawning, new ServerRebuilt(A.ServerId, A.Host, VmState.Active, Now)]).When(new ServerCommand.RecordRebuilt(A.Host, Now)).ThenNothing();
    }

    [Fact]
    public void A_stopped_server_is_rebuilt_stopped_and_a_failed_one_active()
    {
        Given(Rebuilding("stopped")).When(new ServerCommand.RecordRebuilt(A.Host, Now)).Then(new ServerRebuilt(A.ServerId, A.Host, VmState.Stopped, Now));
        Given(Rebuilding("error")).When(new ServerCommand.RecordRebuilt(A.Host, Now)).Then(new ServerRebuilt(A.ServerId, A.Host, VmState.Active, Now));
        var stopped = ServerDecider.Fold([.. Rebuilding("stopped"), new ServerRebuilt(A.ServerId, A.Host, VmState.Stopped, Now)])!;
        Assert.Equal(("SHUTOFF", PowerState.Shutdown), (stopped.Status, stopped.PowerState));
    }

    [Fact]
    public void A_rebuild_the_host_could_not_do_ends_in_error_with_a_fault()
    {
        Given(Rebuilding()).When(new ServerCommand.RecordActionFailed(A.Host, ServerAction.Rebuild, "image gone"))
            .Then(new ServerRebuildFailed(A.ServerId, A.Host, new ServerFault(500, "image gone")));
        var failed = ServerDecider.Fold([.. Rebuilding(), new ServerRebuildFailed(A.ServerId, A.Host, new ServerFault(500, "image gone"))])!;
        Assert.Equal(("ERROR", (TaskState?)null, "image gone"), (failed.Status, failed.TaskState, failed.Fault!.Message));
        // From ERROR the user can rebuild again.
        Given([.. Rebuilding(), new ServerRebuildFailed(A.ServerId, A.Host, new ServerFault(500, "image gone"))]).When(Rebuild()).Then(RebuildRequested());
    }

    [Fact]
    public void A_rebuild_nobody_answered_ends_in_error_at_its_deadline()
    {
        var events = ServerDecider.Decide(new ServerCommand.RecordOperationTimedOut(A.Host, "RebuildInstance", 3, Now), ServerDecider.Fold(Rebuilding()));
        Assert.IsType<ServerOperationTimedOut>(events[0]);
        var failed = Assert.IsType<ServerRebuildFailed>(events[1]);
        Assert.Contains("RebuildInstance", failed.Fault.Message);
    }

    [Theory]
    [InlineData("active")]
    [InlineData("stopped")]
    [InlineData("paused")]
    [InlineData("suspended")]
    public void CreateImage_is_allowed_from_Novas_states_even_when_locked(string state)
    {
        Given(History.Of(state)).When(new ServerCommand.CreateImage(A.Owner, SnapshotImage))
            .Then(new ServerImageCreateRequested(A.ServerId, A.Host, SnapshotImage));
        Given([.. History.Of(state), A.LockedByAdmin()]).When(new ServerCommand.CreateImage(A.Owner, SnapshotImage))
            .Then(new ServerImageCreateRequested(A.ServerId, A.Host, SnapshotImage));
    }

    [Theory]
    [InlineData("error")]
    [InlineData("rescued")]
    [InlineData("shelved")]
    [InlineData("active/shelving")]
    [InlineData("building/spawning")]
    public void CreateImage_and_createBackup_elsewhere_are_conflicts(string state)
    {
        Given(History.Of(state)).When(new ServerCommand.CreateImage(A.Owner, SnapshotImage)).ThenThrows<ServerConflict>();
        Given(History.Of(state)).When(new ServerCommand.CreateBackup(A.Owner, SnapshotImage, "daily", 1)).ThenThrows<ServerConflict>();
    }

    [Fact]
    public void A_second_snapshot_while_one_runs_is_a_conflict() =>
        Given(Snapshotting()).When(new ServerCommand.CreateImage(A.Owner, Guid.NewGuid())).ThenThrows<ServerConflict>();

    [Fact]
    public void The_snapshot_steps_go_in_Novas_order_and_end_with_no_task_in_the_same_state()
    {
        var state = ServerDecider.Fold(Snapshotting("paused"))!;
        Assert.Equal(("PAUSED", "image_snapshot_pending"), (state.Status, NovaNames.Of(state.TaskState)));
        object[] history = Snapshotting("paused");
        foreach (var step in new[] { TaskState.ImageSnapshot, TaskState.ImagePendingUpload, TaskState.ImageUploading })
        {
            Given(history).When(new ServerCommand.RecordSnapshotStep(A.Host, step)).Then(new ServerSnapshotStepStarted(A.ServerId, A.Host, step));
            history = [.. history, new ServerSnapshotStepStarted(A.ServerId, A.Host, step)];
        }
        Given(history).When(new ServerCommand.RecordSnapshotStep(A.Host, TaskState.ImageSnapshot)).ThenNothing();
        Given(history).When(new ServerCommand.RecordSnapshotted(A.Host)).Then(new ServerSnapshotted(A.ServerId, A.Host, SnapshotImage, ServerAction.CreateImage));
        var done = ServerDecider.Fold([.. history, new ServerSnapshotted(A.ServerId, A.Host, SnapshotImage, ServerAction.CreateImage)])!;
        Assert.Equal((VmState.Paused, (TaskState?)null, (ServerSnapshot?)null), (done.VmState, done.TaskState, done.Snapshot));
        Given([.. history, new ServerSnapshotted(A.ServerId, A.Host, SnapshotImage, ServerAction.CreateImage)])
            .When(new ServerCommand.RecordSnapshotted(A.Host)).ThenNothing();
    }

    [Fact]
    public void A_backup_runs_as_image_backup_and_remembers_its_rotation()
    {
        Given(History.Of("active")).When(new ServerCommand.CreateBackup(A.Owner, SnapshotImage, "daily", 2))
            .Then(new ServerBackupRequested(A.ServerId, A.Host, SnapshotImage, "daily", 2));
        var state = ServerDecider.Fold(BackingUp())!;
        Assert.Equal(("image_backup", new ServerSnapshot(SnapshotImage, ServerAction.CreateBackup, "daily", 2)),
            (NovaNames.Of(state.TaskState), state.Snapshot));
        Given(BackingUp()).When(new ServerCommand.RecordSnapshotStep(A.Host, TaskState.ImagePendingUpload))
            .Then(new ServerSnapshotStepStarted(A.ServerId, A.Host, TaskState.ImagePendingUpload));
        Given(BackingUp()).When(new ServerCommand.RecordSnapshotted(A.Host))
            .Then(new ServerSnapshotted(A.ServerId, A.Host, SnapshotImage, ServerAction.CreateBackup));
    }

    [Fact]
    public void An_upload_that_fails_returns_the_server_to_its_state_with_no_task_and_forgets_the_image()
    {
        object[] uploading = [.. Snapshotting("stopped"), new ServerSnapshotStepStarted(A.ServerId, A.Host, TaskState.ImageUploading)];
        Given(uploading).When(new ServerCommand.RecordActionFailed(A.Host, ServerAction.CreateImage, "HTTP 413"))
            .Then(new ServerActionFailed(A.ServerId, A.Host, ServerAction.CreateImage, "HTTP 413"));
        var after = ServerDecider.Fold([.. uploading, new ServerActionFailed(A.ServerId, A.Host, ServerAction.CreateImage, "HTTP 413")])!;
        Assert.Equal(("SHUTOFF", (TaskState?)null, (ServerSnapshot?)null), (after.Status, after.TaskState, after.Snapshot));
    }

    [Fact]
    public void A_snapshot_or_backup_whose_host_died_ends_at_its_deadline_as_its_failure()
    {
        var snapshot = ServerDecider.Decide(new ServerCommand.RecordOperationTimedOut(A.Host, "SnapshotInstance", 3, Now),
            ServerDecider.Fold([.. Snapshotting(), new ServerSnapshotStepStarted(A.ServerId, A.Host, TaskState.ImageUploading)]));
        Assert.Equal(ServerAction.CreateImage, Assert.IsType<ServerActionFailed>(snapshot[1]).Action);
        var backup = ServerDecider.Decide(new ServerCommand.RecordOperationTimedOut(A.Host, "SnapshotInstance", 3, Now),
            ServerDecider.Fold([.. BackingUp(), new ServerSnapshotStepStarted(A.ServerId, A.Host, TaskState.ImageUploading)]));
        Assert.Equal(ServerAction.CreateBackup, Assert.IsType<ServerActionFailed>(backup[1]).Action);
    }

    [Fact]
    public void Reports_for_a_deleted_server_decide_nothing() =>
        Given([.. Snapshotting(), A.DeleteRequested(), A.Deleted()]).When(new ServerCommand.RecordSnapshotted(A.Host)).ThenNothing();
}
