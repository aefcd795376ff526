using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>
/// An operation nobody answered after its last attempt: the control plane ends the task as the operation's failure
/// would, so no server is left in a task state a user cannot get out of.
/// </summary>
public class DeadlineTests
{
    private static ServerCommand.RecordOperationTimedOut TimedOut(string? host = A.Host, string operation = "Op") =>
        new(host, operation, 3, A.Gone);

    private static ServerOperationTimedOut Why(TaskState task, string? host = A.Host, string operation = "Op") =>
        new(A.ServerId, host, operation, task, 3);

    private static string Message(string operation, string? host) =>
        $"{operation} of instance {A.ServerId} got no answer from {(host is null ? "the scheduler" : $"host {host}")} after 3 attempts.";

    [Fact]
    public void A_build_the_host_never_answered_goes_to_error_with_a_fault_naming_the_host()
    {
        Given(History.Of("building/spawning"))
            .When(TimedOut(operation: "BuildAndRunInstance"))
            .Then(Why(TaskState.Spawning, operation: "BuildAndRunInstance"),
                new ServerBuildFailed(A.ServerId, A.Host, new ServerFault(500, Message("BuildAndRunInstance", A.Host))));
    }

    [Fact]
    public void A_server_the_scheduler_never_placed_fails_with_no_valid_host()
    {
        Given(History.Of("building"))
            .When(TimedOut(host: null, operation: "ScheduleInstance"))
            .Then(Why(TaskState.Scheduling, host: null, operation: "ScheduleInstance"),
                new ServerSchedulingFailed(A.ServerId, new ServerFault(500, ServerFault.NoValidHost, Message("ScheduleInstance", null))));
    }

    [Theory]
    [InlineData("active/deleting")]
    [InlineData("building/deleting")]
    [InlineData("stopped/deleting")]
    public void A_delete_the_host_never_answered_completes_here_as_a_local_delete(string state)
    {
        var task = ServerDecider.Fold(History.Of(state))!.TaskState!.Value;
        Given(History.Of(state)).When(TimedOut()).Then(Why(task), new ServerDeleted(A.ServerId, A.Gone));
    }

    [Theory]
    [InlineData("active/powering-off", TaskState.PoweringOff, ServerAction.Stop)]
    [InlineData("stopped/powering-on", TaskState.PoweringOn, ServerAction.Start)]
    [InlineData("active/rebooting", TaskState.Rebooting, ServerAction.Reboot)]
    [InlineData("active/rebooting_hard", TaskState.RebootingHard, ServerAction.Reboot)]
    [InlineData("active/pausing", TaskState.Pausing, ServerAction.Pause)]
    [InlineData("paused/unpausing", TaskState.Unpausing, ServerAction.Unpause)]
    [InlineData("active/suspending", TaskState.Suspending, ServerAction.Suspend)]
    [InlineData("suspended/resuming", TaskState.Resuming, ServerAction.Resume)]
    [InlineData("active/rescuing", TaskState.Rescuing, ServerAction.Rescue)]
    [InlineData("rescued/unrescuing", TaskState.Unrescuing, ServerAction.Unrescue)]
    [InlineData("active/shelving_image_uploading", TaskState.ShelvingImageUploading, ServerAction.Shelve)]
    [InlineData("shelved/shelving_offloading", TaskState.ShelvingOffloading, ServerAction.ShelveOffload)]
    [InlineData("shelved/unshelving", TaskState.Unshelving, ServerAction.Unshelve)]
    public void A_reversible_action_nobody_answered_is_rolled_back_to_the_state_it_started_from(string state, TaskState task, ServerAction action)
    {
        var before = ServerDecider.Fold(History.Of(state))!;
        Given(History.Of(state))
            .When(TimedOut())
            .Then(Why(task), new ServerActionFailed(A.ServerId, A.Host, action, Message("Op", A.Host)));

        var after = ServerDecider.Fold([.. History.Of(state), .. ServerDecider.Decide(TimedOut(), before)])!;
        Assert.Null(after.TaskState);
        Assert.Equal(before.VmState, after.VmState);
    }

    [Fact]
    public void An_offloaded_server_whose_unshelve_nobody_answered_stays_offloaded_with_a_fault()
    {
        Given(History.Of("shelved_offloaded/unshelving/scheduled"))
            .When(TimedOut(host: A.OtherHost))
            .Then(Why(TaskState.Unshelving, host: A.OtherHost),
                new ServerUnshelveFailed(A.ServerId, A.OtherHost, new ServerFault(500, Message("Op", A.OtherHost))));
    }

    [Theory]
    [InlineData("active")]
    [InlineData("stopped")]
    [InlineData("error")]
    [InlineData("deleted")]
    public void A_deadline_after_the_task_ended_decides_nothing(string state)
    {
        Given(History.Of(state)).When(TimedOut()).ThenNothing();
    }

    [Fact]
    public void No_state_a_task_can_be_in_is_left_without_an_end()
    {
        foreach (var name in new[]
                 {
                     "building", "building/scheduled", "building/networking", "building/spawning", "building/rescheduled", "building/deleting",
                     "active/powering-off", "active/rebooting", "active/deleting", "stopped/powering-on", "stopped/rebooting_hard",
                     "error/powering-off", "error/rebooting_hard", "active/pausing", "paused/unpausing", "active/suspending",
                     "suspended/resuming", "active/rescuing", "rescued/unrescuing", "active/shelving", "active/shelving_image_uploading",
                     "shelved/shelving_offloading", "shelved_offloaded/unshelving", "shelved_offloaded/unshelving/scheduled", "shelved/unshelving",
                 })
        {
            var history = History.Of(name);
            var events = ServerDecider.Decide(TimedOut(), ServerDecider.Fold(history));
            var after = ServerDecider.Fold([.. history, .. events])!;
            Assert.True(after.TaskState is null, $"{name} is still in {after.TaskState} after its deadline");
        }
    }
}
