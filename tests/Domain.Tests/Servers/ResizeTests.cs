using Nova.Domain.Flavors;
using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>resize, migrate, confirmResize, revertResize: every step an event, every failure back on the source.</summary>
public class ResizeTests
{
    private static readonly FlavorSpec Bigger = DefaultFlavors.All[1];
    private static readonly Guid MigrationId = Guid.Parse("6f1f5d2e-0000-4000-8000-00000000aaaa");
    private static readonly Guid TransferImage = Guid.Parse("6f1f5d2e-0000-4000-8000-00000000bbbb");
    private static readonly DateTimeOffset At = A.T0.AddHours(2);

    private static ServerCommand Resize(Requester? by = null, FlavorSpec? to = null) =>
        new ServerCommand.Resize(by ?? A.Owner, to ?? Bigger, MigrationId, TransferImage, At);

    private static Migration TheMigration(VmState resume = VmState.Active, MigrationKind kind = MigrationKind.Resize, string? target = null) =>
        new(MigrationId, kind, A.Host, A.Flavor, kind == MigrationKind.Resize ? Bigger : A.Flavor, resume, TransferImage, TargetHost: target);

    private static object[] Requested(string state = "active") =>
        History.Of(state, new ServerResizeRequested(A.ServerId, TheMigration(state == "stopped" ? VmState.Stopped : VmState.Active), At));

    private static object[] Scheduled(string target = A.OtherHost, string state = "active") =>
        [.. Requested(state), new ServerResizeScheduled(A.ServerId, MigrationId, target, null)];

    private static object[] Migrated(string target = A.OtherHost, string state = "active") =>
        [.. Scheduled(target, state), new ServerResizeStepStarted(A.ServerId, MigrationId, A.Host, TaskState.ResizeMigrating),
            new ServerResizeMigrated(A.ServerId, MigrationId, A.Host)];

    private static object[] Resized(string target = A.OtherHost, string state = "active") =>
        [.. Migrated(target, state), new ServerResized(A.ServerId, MigrationId, target, At)];

    [Theory]
    [InlineData("active")]
    [InlineData("stopped")]
    public void Resize_is_allowed_from_active_and_stopped(string state) =>
        Given(History.Of(state)).When(Resize())
            .Then(new ServerResizeRequested(A.ServerId, TheMigration(state == "stopped" ? VmState.Stopped : VmState.Active), At));

    [Theory]
    [InlineData("paused")]
    [InlineData("error")]
    [InlineData("shelved")]
    [InlineData("active/shelving")]
    [InlineData("building/spawning")]
    public void Resize_elsewhere_is_a_conflict(string state) =>
        Given(History.Of(state)).When(Resize()).ThenThrows<ServerConflict>();

    [Fact]
    public void Resize_to_the_same_flavor_is_a_bad_request() =>
        Assert.Contains("must change flavor", Given(History.Of("active")).When(Resize(to: A.Flavor)).ThenThrows<InvalidServerRequest>().Message);

    [Fact]
    public void A_locked_server_is_resized_by_admins_only()
    {
        Given(History.Of("active", A.LockedByOwner())).When(Resize()).ThenThrows<ServerConflict>();
        Given(History.Of("active", A.LockedByOwner())).When(Resize(A.ProjectAdmin))
            .Then(new ServerResizeRequested(A.ServerId, TheMigration(), At));
    }

    [Fact]
    public void A_resize_in_progress_refuses_a_second_one_and_every_other_action()
    {
        Given(Requested()).When(Resize()).ThenThrows<ServerConflict>();
        Given(Scheduled()).When(new ServerCommand.Stop(A.Owner)).ThenThrows<ServerConflict>();
        Given(Resized()).When(new ServerCommand.Stop(A.Owner)).ThenThrows<ServerConflict>();
        Given(Resized()).When(Resize()).ThenThrows<ServerConflict>();
    }

    [Fact]
    public void Migrate_keeps_the_flavor_and_may_name_a_host()
    {
        Given(History.Of("active")).When(new ServerCommand.Migrate(A.CloudAdmin, A.ThirdHost, MigrationId, TransferImage, At))
            .Then(new ServerResizeRequested(A.ServerId,
                TheMigration(kind: MigrationKind.Migrate) with { RequestedHost = A.ThirdHost }, At));
        Given(History.Of("active")).When(new ServerCommand.Migrate(A.CloudAdmin, A.Host, MigrationId, TransferImage, At))
            .ThenThrows<InvalidServerRequest>();
    }

    [Fact]
    public void The_scheduler_answer_names_the_target_once()
    {
        Given(Requested()).When(new ServerCommand.RecordScheduled(A.OtherHost))
            .Then(new ServerResizeScheduled(A.ServerId, MigrationId, A.OtherHost, null));
        Given(Scheduled()).When(new ServerCommand.RecordScheduled(A.ThirdHost)).ThenNothing();
    }

    [Fact]
    public void No_valid_host_leaves_the_server_as_it_was()
    {
        var fault = new ServerFault(500, ServerFault.NoValidHost);
        Given(Requested()).When(new ServerCommand.RecordSchedulingFailed(fault))
            .Then(new ServerResizeFailed(A.ServerId, MigrationId, null, fault));
        var after = ServerDecider.Fold([.. Requested(), new ServerResizeFailed(A.ServerId, MigrationId, null, fault)])!;
        Assert.Equal((VmState.Active, (TaskState?)null, A.Host, A.Flavor, (Migration?)null),
            (after.VmState, after.TaskState, after.Host, after.Flavor, after.Migration));
    }

    [Fact]
    public void The_steps_go_source_then_target_and_end_in_verify_resize()
    {
        Given(Scheduled()).When(new ServerCommand.RecordResizeStep(A.Host, TaskState.ResizeMigrating))
            .Then(new ServerResizeStepStarted(A.ServerId, MigrationId, A.Host, TaskState.ResizeMigrating));
        // The target cannot step before the source handed over; the source cannot finish.
        Given(Scheduled()).When(new ServerCommand.RecordResizeStep(A.OtherHost, TaskState.ResizeFinish)).ThenNothing();
        Given(Scheduled()).When(new ServerCommand.RecordResized(A.OtherHost, At)).ThenNothing();
        Given(Scheduled()).When(new ServerCommand.RecordResizeMigrated(A.OtherHost)).ThenNothing();
        Given(Scheduled()).When(new ServerCommand.RecordResizeMigrated(A.Host))
            .Then(new ServerResizeMigrated(A.ServerId, MigrationId, A.Host));
        Given(Migrated()).When(new ServerCommand.RecordResizeStep(A.OtherHost, TaskState.ResizeFinish))
            .Then(new ServerResizeStepStarted(A.ServerId, MigrationId, A.OtherHost, TaskState.ResizeFinish));
        Given(Migrated()).When(new ServerCommand.RecordResized(A.OtherHost, At))
            .Then(new ServerResized(A.ServerId, MigrationId, A.OtherHost, At));
        Given(Resized()).When(new ServerCommand.RecordResized(A.OtherHost, At)).ThenNothing(); // redelivered

        var resized = ServerDecider.Fold(Resized())!;
        Assert.Equal(("VERIFY_RESIZE", A.OtherHost, Bigger), (resized.Status, resized.Host, resized.Flavor));
        Assert.Equal("RESIZE", ServerDecider.Fold(Migrated())!.Status);
    }

    [Fact]
    public void Confirm_removes_the_source_and_returns_to_the_state_it_started_from()
    {
        Given(Resized()).When(new ServerCommand.ConfirmResize(A.Owner, At))
            .Then(new ServerResizeConfirmRequested(A.ServerId, MigrationId, A.Host));
        var confirming = Resized().Append(new ServerResizeConfirmRequested(A.ServerId, MigrationId, A.Host)).ToArray();
        Given(confirming).When(new ServerCommand.RecordResizeConfirmed(A.OtherHost, At)).ThenNothing();
        Given(confirming).When(new ServerCommand.RecordResizeConfirmed(A.Host, At))
            .Then(new ServerResizeConfirmed(A.ServerId, MigrationId, A.Host, At));

        var stopped = Resized(state: "stopped").Append(new ServerResizeConfirmRequested(A.ServerId, MigrationId, A.Host))
            .Append(new ServerResizeConfirmed(A.ServerId, MigrationId, A.Host, At)).ToArray();
        var after = ServerDecider.Fold(stopped)!;
        Assert.Equal(("SHUTOFF", A.OtherHost, Bigger, (Migration?)null), (after.Status, after.Host, after.Flavor, after.Migration));
    }

    [Fact]
    public void Revert_removes_the_target_then_brings_the_source_back_with_the_old_flavor()
    {
        Given(Resized()).When(new ServerCommand.RevertResize(A.Owner))
            .Then(new ServerResizeRevertRequested(A.ServerId, MigrationId, A.OtherHost));
        var reverting = Resized().Append(new ServerResizeRevertRequested(A.ServerId, MigrationId, A.OtherHost)).ToArray();
        Assert.Equal("REVERT_RESIZE", ServerDecider.Fold(reverting)!.Status);
        // The source answers only after the target let go.
        Given(reverting).When(new ServerCommand.RecordResizeReverted(A.Host, At)).ThenNothing();
        Given(reverting).When(new ServerCommand.RecordResizeRolledBack(A.OtherHost))
            .Then(new ServerResizeRolledBackOnTarget(A.ServerId, MigrationId, A.OtherHost));
        var rolledBack = reverting.Append(new ServerResizeRolledBackOnTarget(A.ServerId, MigrationId, A.OtherHost)).ToArray();
        Given(rolledBack).When(new ServerCommand.RecordResizeReverted(A.Host, At))
            .Then(new ServerResizeReverted(A.ServerId, MigrationId, A.Host, At));

        var after = ServerDecider.Fold([.. rolledBack, new ServerResizeReverted(A.ServerId, MigrationId, A.Host, At)])!;
        Assert.Equal(("ACTIVE", A.Host, A.Flavor, (Migration?)null), (after.Status, after.Host, after.Flavor, after.Migration));
    }

    [Fact]
    public void Confirm_and_revert_need_verify_resize()
    {
        Given(History.Of("active")).When(new ServerCommand.ConfirmResize(A.Owner, At)).ThenThrows<ServerConflict>();
        Given(Migrated()).When(new ServerCommand.RevertResize(A.Owner)).ThenThrows<ServerConflict>();
    }

    [Fact]
    public void A_same_host_resize_confirms_and_reverts_without_asking_a_second_host()
    {
        Given(Resized(target: A.Host)).When(new ServerCommand.ConfirmResize(A.Owner, At))
            .Then(new ServerResizeConfirmRequested(A.ServerId, MigrationId, A.Host), new ServerResizeConfirmed(A.ServerId, MigrationId, A.Host, At));
        Given(Resized(target: A.Host)).When(new ServerCommand.RevertResize(A.Owner))
            .Then(new ServerResizeRevertRequested(A.ServerId, MigrationId, A.Host), new ServerResizeRolledBackOnTarget(A.ServerId, MigrationId, A.Host));
    }

    [Fact]
    public void A_source_failure_ends_the_resize_on_the_source()
    {
        Given(Scheduled()).When(new ServerCommand.RecordResizeFailed(A.Host, "disk copy failed", At))
            .Then(new ServerResizeFailed(A.ServerId, MigrationId, A.OtherHost, new ServerFault(500, "disk copy failed")));
        // A target cannot fail a step it was not asked for yet.
        Given(Scheduled()).When(new ServerCommand.RecordResizeFailed(A.OtherHost, "boom", At)).ThenNothing();
    }

    [Fact]
    public void A_target_failure_rolls_back_to_the_source()
    {
        Given(Migrated()).When(new ServerCommand.RecordResizeFailed(A.OtherHost, "spawn failed", At))
            .Then(new ServerResizeRolledBackOnTarget(A.ServerId, MigrationId, A.OtherHost, "spawn failed"));
        var back = ServerDecider.Fold([.. Migrated(), new ServerResizeRolledBackOnTarget(A.ServerId, MigrationId, A.OtherHost, "spawn failed")])!;
        Assert.Equal((A.Host, A.Flavor, TaskState.ResizeReverting), (back.Host, back.Flavor, back.TaskState));
    }

    [Fact]
    public void A_silent_host_ends_each_step_without_a_stuck_task()
    {
        ServerCommand TimedOut(string? host) => new ServerCommand.RecordOperationTimedOut(host, "X", 3, At);
        Assert.IsType<ServerResizeFailed>(ServerDecider.Decide(TimedOut(null), ServerDecider.Fold(Requested()))[1]);
        Assert.IsType<ServerResizeFailed>(ServerDecider.Decide(TimedOut(A.Host), ServerDecider.Fold(Scheduled()))[1]);
        Assert.IsType<ServerResizeRolledBackOnTarget>(ServerDecider.Decide(TimedOut(A.OtherHost), ServerDecider.Fold(Migrated()))[1]);
        var confirming = ServerDecider.Fold([.. Resized(), new ServerResizeConfirmRequested(A.ServerId, MigrationId, A.Host)]);
        Assert.IsType<ServerResizeConfirmed>(ServerDecider.Decide(TimedOut(A.Host), confirming)[1]);
        var reverting = ServerDecider.Fold([.. Resized(), new ServerResizeRevertRequested(A.ServerId, MigrationId, A.OtherHost)]);
        Assert.IsType<ServerResizeRolledBackOnTarget>(ServerDecider.Decide(TimedOut(A.OtherHost), reverting)[1]);
        var restoring = ServerDecider.Fold([.. Resized(), new ServerResizeRevertRequested(A.ServerId, MigrationId, A.OtherHost),
            new ServerResizeRolledBackOnTarget(A.ServerId, MigrationId, A.OtherHost)])!;
        var end = ServerDecider.Decide(TimedOut(A.Host), restoring);
        var after = end.Aggregate(restoring, (s, e) => Server.Evolve(s, e));
        Assert.Equal((TaskState?)null, after.TaskState);
        Assert.Null(after.Migration);
    }

    [Fact]
    public void A_reset_ends_the_migration_where_the_server_is()
    {
        var reset = ServerDecider.Fold([.. Resized(), new ServerStateReset(A.ServerId, VmState.Active)])!;
        Assert.Equal((A.OtherHost, (Migration?)null, "ACTIVE"), (reset.Host, reset.Migration, reset.Status));
    }
}
