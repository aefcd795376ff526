using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>
/// Scheduler results and host reports arrive at least once: the first delivery records the fact,
/// a redelivery, a report from another host, or a report after a delete request records nothing.
/// </summary>
public class HostReportTests
{
    private static ServerCommand.RecordBuildStep BuildStep(TaskState step, string host = A.Host) => new(host, step);
    private static readonly ServerCommand.RecordBuilt BuiltReport = new(A.Host, A.Launched);
    private static readonly ServerCommand.RecordBuildFailed BuildFailedReport = new(A.Host, A.BuildFault);

    // ---- RecordScheduled / RecordSchedulingFailed --------------------------------------------------

    [Fact]
    public void Scheduled_places_the_server_on_the_host()
    {
        Given(History.Of("building")).When(new ServerCommand.RecordScheduled(A.Host)).Then(A.Scheduled());
    }

    [Fact]
    public void Scheduled_records_the_alternates_in_the_schedulers_order()
    {
        var spec = Given(History.Of("building")).When(new ServerCommand.RecordScheduled(A.Host, [A.ThirdHost, A.OtherHost]));
        spec.Then(A.Scheduled(A.Host, A.ThirdHost, A.OtherHost));
        Assert.NotEqual(A.Scheduled(A.Host, A.OtherHost, A.ThirdHost), ServerDecider.Decide(
            new ServerCommand.RecordScheduled(A.Host, [A.ThirdHost, A.OtherHost]), spec.State).Single(), EventComparer.Instance);
    }

    [Fact]
    public void Scheduled_counts_the_first_attempt_and_the_host_tried()
    {
        var server = ServerDecider.Fold(History.Of("building/scheduled"))!;
        Assert.Equal((1, A.Host), (server.Attempts, server.Host));
        Assert.Equal([A.Host], server.HostsTried);
    }

    [Fact]
    public void Scheduled_redelivered_records_nothing()
    {
        Given(History.Of("building/scheduled")).When(new ServerCommand.RecordScheduled(A.Host)).ThenNothing();
    }

    [Fact]
    public void Scheduled_on_another_host_after_placement_records_nothing()
    {
        Given(History.Of("building/scheduled")).When(new ServerCommand.RecordScheduled(A.OtherHost)).ThenNothing();
    }

    [Fact]
    public void Scheduled_after_the_scheduling_failed_records_nothing()
    {
        Given(History.Of("error-unscheduled")).When(new ServerCommand.RecordScheduled(A.Host)).ThenNothing();
    }

    [Fact]
    public void Scheduling_failed_puts_the_server_in_error_with_no_valid_host()
    {
        var fault = new ServerFault(500, ServerFault.NoValidHost);
        Given(History.Of("building")).When(new ServerCommand.RecordSchedulingFailed(fault)).Then(new ServerSchedulingFailed(A.ServerId, fault));
    }

    [Theory]
    [InlineData("building/scheduled")]
    [InlineData("error-unscheduled")]
    public void Scheduling_failed_after_placement_or_redelivered_records_nothing(string state)
    {
        Given(History.Of(state)).When(new ServerCommand.RecordSchedulingFailed(new ServerFault(500, ServerFault.NoValidHost))).ThenNothing();
    }

    // ---- RecordBuildStep ------------------------------------------------------------------------------

    [Theory]
    [InlineData("building/scheduled", TaskState.Networking)]
    [InlineData("building/networking", TaskState.BlockDeviceMapping)]
    [InlineData("building/block_device_mapping", TaskState.Spawning)]
    [InlineData("building/scheduled", TaskState.Spawning)] // a host may skip a step; it still only moves forward
    public void Build_step_moves_the_build_forward(string state, TaskState step)
    {
        Given(History.Of(state)).When(BuildStep(step)).Then(A.Step(step));
    }

    [Theory]
    [InlineData("building/networking", TaskState.Networking)]
    [InlineData("building/spawning", TaskState.Spawning)]
    public void Build_step_redelivered_records_nothing(string state, TaskState step)
    {
        Given(History.Of(state)).When(BuildStep(step)).ThenNothing();
    }

    [Theory]
    [InlineData("building/networking", TaskState.Scheduling)]
    [InlineData("building/block_device_mapping", TaskState.Networking)]
    [InlineData("building/spawning", TaskState.Networking)]
    [InlineData("building/spawning", TaskState.BlockDeviceMapping)]
    public void Build_steps_never_go_backwards(string state, TaskState step)
    {
        Given(History.Of(state)).When(BuildStep(step)).ThenNothing();
    }

    [Fact]
    public void Build_step_from_another_host_records_nothing()
    {
        Given(History.Of("building/scheduled")).When(BuildStep(TaskState.Networking, A.OtherHost)).ThenNothing();
    }

    [Fact]
    public void Build_step_before_the_server_is_scheduled_records_nothing()
    {
        Given(History.Of("building")).When(BuildStep(TaskState.Networking)).ThenNothing();
    }

    [Theory]
    [InlineData("building/deleting")]
    [InlineData("active")]
    [InlineData("error")]
    public void Build_step_after_a_delete_request_or_the_end_of_the_build_records_nothing(string state)
    {
        Given(History.Of(state)).When(BuildStep(TaskState.Spawning)).ThenNothing();
    }

    public static TheoryData<string, TaskState> NotBuildSteps()
    {
        var data = new TheoryData<string, TaskState>();
        TaskState[] buildSteps = [TaskState.Networking, TaskState.BlockDeviceMapping, TaskState.Spawning];
        foreach (var state in new[] { "building/scheduled", "building/networking", "building/block_device_mapping" })
            foreach (var task in Enum.GetValues<TaskState>().Except(buildSteps))
                data.Add(state, task);
        return data;
    }

    [Theory]
    [MemberData(nameof(NotBuildSteps))]
    public void Build_step_with_a_task_state_that_is_not_a_build_step_records_nothing(string state, TaskState task)
    {
        Given(History.Of(state)).When(BuildStep(task)).ThenNothing();
    }

    [Theory]
    [InlineData(TaskState.Deleting)]
    [InlineData(TaskState.PoweringOff)]
    [InlineData(TaskState.Rebooting)]
    [InlineData(TaskState.Scheduling)]
    public void A_non_build_step_report_does_not_hold_up_the_real_steps(TaskState task)
    {
        var spec = Given(History.Of("building/scheduled")).When(BuildStep(task));
        spec.ThenNothing();
        Assert.Equal((VmState.Building, TaskState.Scheduling), (spec.State!.VmState, spec.State.TaskState));
        Given(History.Of("building/scheduled")).When(BuildStep(TaskState.Networking)).Then(A.Step(TaskState.Networking));
    }

    [Fact]
    public void Build_steps_are_accepted_in_order_from_scheduling_and_a_backwards_step_then_records_nothing()
    {
        var history = History.Of("building/scheduled").ToList();
        Assert.Equal(TaskState.Scheduling, ServerDecider.Fold(history)!.TaskState);

        foreach (var step in new[] { TaskState.Networking, TaskState.BlockDeviceMapping, TaskState.Spawning })
        {
            Given([.. history]).When(BuildStep(step)).Then(A.Step(step));
            history.AddRange(ServerDecider.Decide(BuildStep(step), ServerDecider.Fold(history)));
            var server = ServerDecider.Fold(history)!;
            Assert.Equal((VmState.Building, step, A.Host), (server.VmState, server.TaskState, server.Host));
        }

        Assert.Equal(
            [A.Step(TaskState.Networking), A.Step(TaskState.BlockDeviceMapping), A.Step(TaskState.Spawning)],
            history.Skip(History.Of("building/scheduled").Length));

        foreach (var backwards in new[] { TaskState.Scheduling, TaskState.Networking, TaskState.BlockDeviceMapping, TaskState.Spawning })
            Given([.. history]).When(BuildStep(backwards)).ThenNothing();

        Given([.. history]).When(BuiltReport).Then(A.Built());
    }

    [Theory]
    [InlineData(TaskState.Networking)]
    [InlineData(TaskState.BlockDeviceMapping)]
    public void A_backwards_step_after_a_skipped_step_records_nothing(TaskState step)
    {
        Given(History.Of("building/scheduled", A.Step(TaskState.Spawning))).When(BuildStep(step)).ThenNothing();
    }

    // ---- RecordBuilt ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("building/scheduled")]
    [InlineData("building/spawning")]
    public void Built_makes_the_server_active(string state)
    {
        Given(History.Of(state)).When(BuiltReport).Then(A.Built());
    }

    [Fact]
    public void Built_redelivered_records_nothing()
    {
        Given(History.Of("active")).When(BuiltReport).ThenNothing();
    }

    [Fact]
    public void Built_from_another_host_records_nothing()
    {
        Given(History.Of("building/spawning")).When(new ServerCommand.RecordBuilt(A.OtherHost, A.Launched)).ThenNothing();
    }

    [Theory]
    [InlineData("building/deleting")]
    [InlineData("error")]
    [InlineData("building")] // not placed yet: no host can report it built
    public void Built_after_a_delete_request_a_failure_or_before_placement_records_nothing(string state)
    {
        Given(History.Of(state)).When(BuiltReport).ThenNothing();
    }

    [Fact]
    public void Built_after_a_later_stop_records_nothing()
    {
        Given(History.Of("stopped")).When(BuiltReport).ThenNothing();
    }

    // ---- RecordBuildFailed -----------------------------------------------------------------------------

    [Fact]
    public void Build_failed_puts_the_server_in_error_with_the_fault()
    {
        Given(History.Of("building/spawning")).When(BuildFailedReport).Then(A.BuildFailed());
    }

    [Fact]
    public void Build_failed_redelivered_records_nothing()
    {
        Given(History.Of("error")).When(BuildFailedReport).ThenNothing();
    }

    [Fact]
    public void Build_failed_from_another_host_records_nothing()
    {
        Given(History.Of("building/spawning")).When(new ServerCommand.RecordBuildFailed(A.OtherHost, A.BuildFault)).ThenNothing();
    }

    [Theory]
    [InlineData("building/deleting")]
    [InlineData("active")]
    public void Build_failed_after_a_delete_request_or_a_successful_build_records_nothing(string state)
    {
        Given(History.Of(state)).When(BuildFailedReport).ThenNothing();
    }

    // ---- RecordStopped / RecordStarted / RecordRebooted -----------------------------------------------

    public static TheoryData<string, ServerCommand, object> Completions => new()
    {
        { "active/powering-off", new ServerCommand.RecordStopped(A.Host), A.Stopped() },
        { "error/powering-off", new ServerCommand.RecordStopped(A.Host), A.Stopped() },
        { "stopped/powering-on", new ServerCommand.RecordStarted(A.Host), A.Started() },
        { "active/rebooting", new ServerCommand.RecordRebooted(A.Host), A.Rebooted() },
        { "active/rebooting_hard", new ServerCommand.RecordRebooted(A.Host), A.Rebooted() },
        { "stopped/rebooting_hard", new ServerCommand.RecordRebooted(A.Host), A.Rebooted() },
        { "error/rebooting_hard", new ServerCommand.RecordRebooted(A.Host), A.Rebooted() },
    };

    [Theory]
    [MemberData(nameof(Completions))]
    public void A_completion_report_records_the_outcome(string state, ServerCommand report, object expected)
    {
        Given(History.Of(state)).When(report).Then(expected);
    }

    [Theory]
    [MemberData(nameof(Completions))]
    public void A_completion_report_redelivered_after_it_was_applied_records_nothing(string state, ServerCommand report, object expected)
    {
        Given(History.Of(state, expected)).When(report).ThenNothing();
    }

    [Theory]
    [MemberData(nameof(Completions))]
    public void A_completion_report_after_a_delete_request_records_nothing(string state, ServerCommand report, object expected)
    {
        _ = expected;
        Given(History.Of(state, A.DeleteRequested())).When(report).ThenNothing();
    }

    public static TheoryData<string, ServerCommand> CompletionsFromAnotherHost => new()
    {
        { "active/powering-off", new ServerCommand.RecordStopped(A.OtherHost) },
        { "stopped/powering-on", new ServerCommand.RecordStarted(A.OtherHost) },
        { "active/rebooting", new ServerCommand.RecordRebooted(A.OtherHost) },
        { "active/rebooting_hard", new ServerCommand.RecordRebooted(A.OtherHost) },
    };

    [Theory]
    [MemberData(nameof(CompletionsFromAnotherHost))]
    public void A_completion_report_from_another_host_records_nothing(string state, ServerCommand report)
    {
        Given(History.Of(state)).When(report).ThenNothing();
    }

    public static TheoryData<string, ServerCommand> UnrequestedCompletions => new()
    {
        { "active", new ServerCommand.RecordStopped(A.Host) },
        { "stopped/powering-on", new ServerCommand.RecordStopped(A.Host) },
        { "stopped", new ServerCommand.RecordStarted(A.Host) },
        { "active/powering-off", new ServerCommand.RecordStarted(A.Host) },
        { "active", new ServerCommand.RecordRebooted(A.Host) },
        { "active/powering-off", new ServerCommand.RecordRebooted(A.Host) },
    };

    [Theory]
    [MemberData(nameof(UnrequestedCompletions))]
    public void A_completion_report_for_a_task_not_in_progress_records_nothing(string state, ServerCommand report)
    {
        Given(History.Of(state)).When(report).ThenNothing();
    }

    // ---- RecordActionFailed -------------------------------------------------------------------------

    [Theory]
    [InlineData("active/powering-off", ServerAction.Stop)]
    [InlineData("error/powering-off", ServerAction.Stop)]
    [InlineData("stopped/powering-on", ServerAction.Start)]
    [InlineData("active/rebooting", ServerAction.Reboot)]
    [InlineData("active/rebooting_hard", ServerAction.Reboot)]
    [InlineData("stopped/rebooting_hard", ServerAction.Reboot)]
    public void Action_failed_clears_the_task(string state, ServerAction action)
    {
        Given(History.Of(state))
            .When(new ServerCommand.RecordActionFailed(A.Host, action, "libvirt said no"))
            .Then(new ServerActionFailed(A.ServerId, A.Host, action, "libvirt said no"));
    }

    [Theory]
    [InlineData("active/powering-off", ServerAction.Stop)]
    [InlineData("stopped/powering-on", ServerAction.Start)]
    [InlineData("active/rebooting", ServerAction.Reboot)]
    [InlineData("active/rebooting_hard", ServerAction.Reboot)]
    public void Action_failed_redelivered_records_nothing(string state, ServerAction action)
    {
        var failed = new ServerActionFailed(A.ServerId, A.Host, action, "libvirt said no");
        Given(History.Of(state, failed))
            .When(new ServerCommand.RecordActionFailed(A.Host, action, "libvirt said no"))
            .ThenNothing();
    }

    [Theory]
    [InlineData("active/powering-off", ServerAction.Stop)]
    [InlineData("active/rebooting", ServerAction.Reboot)]
    public void Action_failed_from_another_host_records_nothing(string state, ServerAction action)
    {
        Given(History.Of(state)).When(new ServerCommand.RecordActionFailed(A.OtherHost, action, "x")).ThenNothing();
    }

    [Theory]
    [InlineData("active/powering-off", ServerAction.Stop)]
    [InlineData("active/rebooting_hard", ServerAction.Reboot)]
    public void Action_failed_after_a_delete_request_records_nothing(string state, ServerAction action)
    {
        Given(History.Of(state, A.DeleteRequested()))
            .When(new ServerCommand.RecordActionFailed(A.Host, action, "x"))
            .ThenNothing();
    }

    [Theory]
    [InlineData("active/rebooting", ServerAction.Stop)]
    [InlineData("active/powering-off", ServerAction.Start)]
    [InlineData("active/powering-off", ServerAction.Reboot)]
    [InlineData("stopped/powering-on", ServerAction.Stop)]
    [InlineData("active", ServerAction.Stop)]
    [InlineData("active/powering-off", ServerAction.Lock)]
    [InlineData("active/deleting", ServerAction.Delete)]
    public void Action_failed_for_an_action_not_in_progress_records_nothing(string state, ServerAction action)
    {
        Given(History.Of(state)).When(new ServerCommand.RecordActionFailed(A.Host, action, "x")).ThenNothing();
    }

    // ---- RecordDeleted ------------------------------------------------------------------------------

    [Theory]
    [InlineData("active/deleting")]
    [InlineData("stopped/deleting")]
    [InlineData("building/deleting")]
    public void Deleted_completes_a_delete_request(string state)
    {
        Given(History.Of(state)).When(new ServerCommand.RecordDeleted(A.Host, A.Gone)).Then(A.Deleted());
    }

    [Fact]
    public void Deleted_redelivered_records_nothing()
    {
        Given(History.Of("active/deleting", A.Deleted())).When(new ServerCommand.RecordDeleted(A.Host, A.Gone)).ThenNothing();
    }

    [Fact]
    public void Deleted_from_another_host_records_nothing()
    {
        Given(History.Of("active/deleting")).When(new ServerCommand.RecordDeleted(A.OtherHost, A.Gone)).ThenNothing();
    }

    [Theory]
    [InlineData("active")]
    [InlineData("active/powering-off")]
    public void Deleted_without_a_delete_request_records_nothing(string state)
    {
        Given(History.Of(state)).When(new ServerCommand.RecordDeleted(A.Host, A.Gone)).ThenNothing();
    }
}
