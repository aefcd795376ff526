using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>pause / unpause (ACTIVE ⇄ PAUSED) and suspend / resume (ACTIVE ⇄ SUSPENDED), Nova's allowed states.</summary>
public class PauseSuspendTests
{
    private static readonly ServerCommand Pause = new ServerCommand.Pause(A.Owner);
    private static readonly ServerCommand Unpause = new ServerCommand.Unpause(A.Owner);
    private static readonly ServerCommand Suspend = new ServerCommand.Suspend(A.Owner);
    private static readonly ServerCommand Resume = new ServerCommand.Resume(A.Owner);

    [Fact]
    public void Pause_of_an_active_server_asks_its_host() =>
        Given(History.Of("active")).When(Pause).Then(new ServerPauseRequested(A.ServerId, A.Host));

    [Theory]
    [InlineData("stopped")]
    [InlineData("paused")]
    [InlineData("suspended")]
    [InlineData("error")]
    [InlineData("rescued")]
    [InlineData("shelved")]
    [InlineData("active/pausing")]
    [InlineData("active/powering-off")]
    [InlineData("building/spawning")]
    public void Pause_outside_active_without_a_task_is_a_conflict(string state)
    {
        var conflict = Given(History.Of(state)).When(Pause).ThenThrows<ServerConflict>();
        Assert.Contains("'pause'", conflict.Message);
    }

    [Fact]
    public void Pause_of_a_locked_server_by_its_owner_is_a_conflict_and_an_admin_may()
    {
        Given(History.Of("active", A.LockedByOwner())).When(Pause).ThenThrows<ServerConflict>();
        Given(History.Of("active", A.LockedByOwner())).When(new ServerCommand.Pause(A.CloudAdmin))
            .Then(new ServerPauseRequested(A.ServerId, A.Host));
    }

    [Fact]
    public void The_hosts_report_pauses_the_server_once()
    {
        Given(History.Of("active/pausing")).When(new ServerCommand.RecordPaused(A.Host)).Then(new ServerPaused(A.ServerId, A.Host));
        Given(History.Of("paused")).When(new ServerCommand.RecordPaused(A.Host)).ThenNothing();
        Given(History.Of("active/pausing")).When(new ServerCommand.RecordPaused(A.OtherHost)).ThenNothing();
    }

    [Fact]
    public void A_paused_server_is_paused_with_no_task_and_power_state_paused()
    {
        var server = ServerDecider.Fold(History.Of("paused"))!;
        Assert.Equal((VmState.Paused, (TaskState?)null, PowerState.Paused, "PAUSED"), (server.VmState, server.TaskState, server.PowerState, server.Status));
        var pausing = ServerDecider.Fold(History.Of("active/pausing"))!;
        Assert.Equal(("pausing", "ACTIVE"), (NovaNames.Of(pausing.TaskState), pausing.Status));
    }

    [Fact]
    public void Unpause_only_from_paused_and_back_to_active()
    {
        Given(History.Of("paused")).When(Unpause).Then(new ServerUnpauseRequested(A.ServerId, A.Host));
        Given(History.Of("active")).When(Unpause).ThenThrows<ServerConflict>();
        Given(History.Of("paused/unpausing")).When(new ServerCommand.RecordUnpaused(A.Host)).Then(new ServerUnpaused(A.ServerId, A.Host));
        var server = ServerDecider.Fold(History.Of("paused/unpausing", new ServerUnpaused(A.ServerId, A.Host)))!;
        Assert.Equal((VmState.Active, PowerState.Running, "ACTIVE"), (server.VmState, server.PowerState, server.Status));
    }

    [Fact]
    public void A_failed_pause_clears_the_task_and_keeps_the_server_active()
    {
        Given(History.Of("active/pausing")).When(new ServerCommand.RecordActionFailed(A.Host, ServerAction.Pause, "libvirt said no"))
            .Then(new ServerActionFailed(A.ServerId, A.Host, ServerAction.Pause, "libvirt said no"));
        var server = ServerDecider.Fold(History.Of("active/pausing", new ServerActionFailed(A.ServerId, A.Host, ServerAction.Pause, "no")))!;
        Assert.Equal((VmState.Active, (TaskState?)null), (server.VmState, server.TaskState));
    }

    [Fact]
    public void Suspend_of_an_active_server_and_resume_of_a_suspended_one()
    {
        Given(History.Of("active")).When(Suspend).Then(new ServerSuspendRequested(A.ServerId, A.Host));
        Given(History.Of("active/suspending")).When(new ServerCommand.RecordSuspended(A.Host)).Then(new ServerSuspended(A.ServerId, A.Host));
        Given(History.Of("suspended")).When(Resume).Then(new ServerResumeRequested(A.ServerId, A.Host));
        Given(History.Of("suspended/resuming")).When(new ServerCommand.RecordResumed(A.Host)).Then(new ServerResumed(A.ServerId, A.Host));
        var suspended = ServerDecider.Fold(History.Of("suspended"))!;
        Assert.Equal((VmState.Suspended, PowerState.Suspended, "SUSPENDED"), (suspended.VmState, suspended.PowerState, suspended.Status));
    }

    [Theory]
    [InlineData("stopped")]
    [InlineData("paused")]
    [InlineData("suspended")]
    [InlineData("active/suspending")]
    public void Suspend_outside_active_is_a_conflict(string state) =>
        Given(History.Of(state)).When(Suspend).ThenThrows<ServerConflict>();

    [Theory]
    [InlineData("active")]
    [InlineData("paused")]
    [InlineData("suspended/resuming")]
    public void Resume_outside_suspended_is_a_conflict(string state) =>
        Given(History.Of(state)).When(Resume).ThenThrows<ServerConflict>();

    [Fact]
    public void A_suspended_or_paused_server_can_be_hard_rebooted_as_in_Nova()
    {
        Given(History.Of("suspended")).When(A.Reboot(RebootType.Hard)).Then(A.RebootRequested(RebootType.Hard));
        Given(History.Of("paused")).When(A.Reboot(RebootType.Hard)).Then(A.RebootRequested(RebootType.Hard));
        Given(History.Of("paused")).When(A.Reboot(RebootType.Soft)).ThenThrows<ServerConflict>();
    }

    [Fact]
    public void The_power_sync_does_not_touch_a_paused_server()
    {
        Given(History.Of("paused")).When(new ServerCommand.RecordPowerState(A.Host, PowerState.Shutdown)).ThenNothing();
    }
}
