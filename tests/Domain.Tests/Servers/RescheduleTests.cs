using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>
/// Nova's build retries: a retryable (hypervisor) failure sends a building server back to scheduling
/// for an alternate host while attempts remain (max 3); the last one, or a failure that is not
/// retryable, puts it in error.
/// </summary>
public class RescheduleTests
{
    private static readonly ServerFault HostFault = new(500, "libvirtError: internal error: process exited while connecting to monitor");

    private static ServerCommand.RecordBuildFailed Failed(string host, bool retryable = true, ServerFault? fault = null) =>
        new(host, fault ?? HostFault, retryable);

    private static string ExhaustedMessage =>
        $"Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance {A.ServerId}.";

    /// <summary>Created, then scheduled on host1 with alternates host2 and host3.</summary>
    private static object[] FirstAttempt() => [A.Created(), A.Scheduled(A.Host, A.OtherHost, A.ThirdHost)];

    private static object[] SecondAttempt() =>
        [.. FirstAttempt(), A.Rescheduled(A.Host, HostFault), A.Scheduled(A.OtherHost, A.ThirdHost)];

    private static object[] ThirdAttempt() =>
        [.. SecondAttempt(), A.Rescheduled(A.OtherHost, HostFault), A.Scheduled(A.ThirdHost)];

    // ---- RecordBuildFailed ---------------------------------------------------------------------------

    [Fact]
    public void A_retryable_failure_on_the_first_host_reschedules()
    {
        Given(FirstAttempt()).When(Failed(A.Host)).Then(new ServerRescheduled(A.ServerId, A.Host, HostFault));
    }

    [Fact]
    public void A_retryable_failure_during_a_build_step_reschedules()
    {
        Given([.. FirstAttempt(), A.Step(TaskState.Networking), A.Step(TaskState.Spawning)])
            .When(Failed(A.Host))
            .Then(new ServerRescheduled(A.ServerId, A.Host, HostFault));
    }

    [Fact]
    public void A_retryable_failure_on_the_second_attempt_reschedules_again()
    {
        Given(SecondAttempt()).When(Failed(A.OtherHost)).Then(new ServerRescheduled(A.ServerId, A.OtherHost, HostFault));
    }

    [Fact]
    public void A_retryable_failure_on_the_third_attempt_ends_in_error_naming_the_last_host_and_error()
    {
        Given(ThirdAttempt())
            .When(Failed(A.ThirdHost))
            .Then(new ServerBuildFailed(A.ServerId, A.ThirdHost,
                new ServerFault(500, ExhaustedMessage, $"Last error on {A.ThirdHost}: {HostFault.Message}")));
    }

    [Fact]
    public void The_exhausted_retries_fault_reads_as_novas()
    {
        var events = ServerDecider.Decide(Failed(A.ThirdHost), ServerDecider.Fold(ThirdAttempt()));
        var fault = Assert.IsType<ServerBuildFailed>(Assert.Single(events)).Fault;
        Assert.StartsWith("Exceeded maximum number of retries", fault.Message);
        Assert.Contains(A.ServerId.ToString(), fault.Message);
        Assert.Contains(A.ThirdHost, fault.Details);
        Assert.Contains(HostFault.Message, fault.Details);
        Assert.Equal(HostFault.Code, fault.Code);
    }

    [Fact]
    public void The_attempt_limit_is_three()
    {
        Assert.Equal(3, Server.MaxBuildAttempts);
        Assert.Equal(3, ServerDecider.Fold(ThirdAttempt())!.Attempts);
    }

    [Fact]
    public void A_failure_that_is_not_retryable_on_the_first_attempt_keeps_its_own_fault()
    {
        Given(FirstAttempt()).When(Failed(A.Host, retryable: false)).Then(new ServerBuildFailed(A.ServerId, A.Host, HostFault));
    }

    [Fact]
    public void A_failure_that_is_not_retryable_on_a_later_attempt_keeps_its_own_fault()
    {
        var userError = new ServerFault(400, "Image cirros-0.6 is unacceptable: bad disk format");
        Given(SecondAttempt())
            .When(Failed(A.OtherHost, retryable: false, userError))
            .Then(new ServerBuildFailed(A.ServerId, A.OtherHost, userError));
    }

    [Fact]
    public void A_failure_report_redelivered_from_the_first_host_after_the_reschedule_records_nothing()
    {
        Given([.. FirstAttempt(), A.Rescheduled(A.Host, HostFault)]).When(Failed(A.Host)).ThenNothing();
        Given([.. FirstAttempt(), A.Rescheduled(A.Host, HostFault)]).When(Failed(A.Host, retryable: false)).ThenNothing();
    }

    [Fact]
    public void A_failure_report_redelivered_from_the_first_host_once_the_second_is_building_records_nothing()
    {
        Given(SecondAttempt()).When(Failed(A.Host)).ThenNothing();
    }

    [Fact]
    public void A_stale_build_step_or_built_report_from_the_first_host_after_the_reschedule_records_nothing()
    {
        Given(History.Of("building/rescheduled")).When(new ServerCommand.RecordBuildStep(A.Host, TaskState.Spawning)).ThenNothing();
        Given(History.Of("building/rescheduled")).When(new ServerCommand.RecordBuilt(A.Host, A.Launched)).ThenNothing();
        Given(SecondAttempt()).When(new ServerCommand.RecordBuilt(A.Host, A.Launched)).ThenNothing();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_failure_after_a_delete_request_records_nothing(bool retryable)
    {
        Given([.. FirstAttempt(), A.DeleteRequested()]).When(Failed(A.Host, retryable)).ThenNothing();
    }

    [Theory]
    [InlineData("active")]
    [InlineData("error")]
    [InlineData("stopped")]
    public void A_retryable_failure_after_the_build_ended_records_nothing(string state)
    {
        Given(History.Of(state)).When(Failed(A.Host)).ThenNothing();
    }

    // ---- back to scheduling ----------------------------------------------------------------------------

    [Fact]
    public void A_rescheduled_server_is_building_scheduling_without_a_host_and_keeps_the_fault()
    {
        var server = ServerDecider.Fold(History.Of("building/rescheduled"))!;
        Assert.Equal((VmState.Building, (TaskState?)TaskState.Scheduling, PowerState.NoState, "BUILD"),
            (server.VmState, server.TaskState, server.PowerState, server.Status));
        Assert.Null(server.Host);
        Assert.Equal(A.BuildFault, server.Fault);
    }

    [Fact]
    public void Scheduled_after_a_reschedule_is_accepted()
    {
        Given(History.Of("building/rescheduled"))
            .When(new ServerCommand.RecordScheduled(A.OtherHost, [A.ThirdHost]))
            .Then(A.Scheduled(A.OtherHost, A.ThirdHost));
    }

    [Fact]
    public void Scheduled_redelivered_after_the_second_placement_records_nothing()
    {
        Given(SecondAttempt()).When(new ServerCommand.RecordScheduled(A.OtherHost, [A.ThirdHost])).ThenNothing();
    }

    [Fact]
    public void Scheduling_failed_after_a_reschedule_ends_in_error_without_a_host()
    {
        var noHost = new ServerFault(500, ServerFault.NoValidHost, "Exhausted all hosts available for retrying build failures");
        var spec = Given([.. History.Of("building/rescheduled"), new ServerSchedulingFailed(A.ServerId, noHost)]);
        Given(History.Of("building/rescheduled"))
            .When(new ServerCommand.RecordSchedulingFailed(noHost))
            .Then(new ServerSchedulingFailed(A.ServerId, noHost));
        Assert.Equal((VmState.Error, (string?)null, noHost), (spec.State!.VmState, spec.State.Host, spec.State.Fault));
    }

    [Fact]
    public void Build_steps_on_the_next_host_start_again_from_scheduling()
    {
        // host1 had reached spawning before it failed; host2 starts from networking
        Given([.. History.Of("building/rescheduled"), A.Scheduled(A.OtherHost, A.ThirdHost)])
            .When(new ServerCommand.RecordBuildStep(A.OtherHost, TaskState.Networking))
            .Then(A.Step(TaskState.Networking, A.OtherHost));
    }

    [Fact]
    public void Delete_while_waiting_for_an_alternate_completes_at_once()
    {
        Given(History.Of("building/rescheduled")).When(A.Delete()).Then(A.DeleteRequested(host: null), A.Deleted());
    }

    // ---- Evolve ------------------------------------------------------------------------------------------

    [Fact]
    public void Attempts_tried_hosts_alternates_and_fault_follow_each_step()
    {
        var created = ServerDecider.Fold([A.Created()])!;
        Assert.Equal((0, (string?)null, (ServerFault?)null), (created.Attempts, created.Host, created.Fault));
        Assert.Empty(created.HostsTried);
        Assert.Empty(created.Alternates ?? []);

        var first = Server.Evolve(created, A.Scheduled(A.Host, A.OtherHost, A.ThirdHost));
        Assert.Equal((1, A.Host, (ServerFault?)null), (first.Attempts, first.Host, first.Fault));
        Assert.Equal([A.Host], first.HostsTried);
        Assert.Equal([A.OtherHost, A.ThirdHost], first.Alternates!);

        var firstFailed = Server.Evolve(first, A.Rescheduled(A.Host, HostFault));
        Assert.Equal((1, (string?)null, HostFault), (firstFailed.Attempts, firstFailed.Host, firstFailed.Fault));
        Assert.Equal([A.Host], firstFailed.HostsTried);
        Assert.Equal([A.OtherHost, A.ThirdHost], firstFailed.Alternates!);

        var second = Server.Evolve(firstFailed, A.Scheduled(A.OtherHost, A.ThirdHost));
        Assert.Equal((2, A.OtherHost, HostFault), (second.Attempts, second.Host, second.Fault));
        Assert.Equal([A.Host, A.OtherHost], second.HostsTried);
        Assert.Equal([A.ThirdHost], second.Alternates!);

        var secondFailed = Server.Evolve(second, A.Rescheduled(A.OtherHost, A.BuildFault));
        Assert.Equal((2, (string?)null, A.BuildFault), (secondFailed.Attempts, secondFailed.Host, secondFailed.Fault));

        var third = Server.Evolve(secondFailed, A.Scheduled(A.ThirdHost));
        Assert.Equal((3, A.ThirdHost), (third.Attempts, third.Host));
        Assert.Equal([A.Host, A.OtherHost, A.ThirdHost], third.HostsTried);
        Assert.Empty(third.Alternates!);

        // the earlier states are untouched
        Assert.Equal([A.Host], first.HostsTried);
        Assert.Equal(1, first.Attempts);
    }

    [Fact]
    public void Scheduled_without_alternates_leaves_an_empty_list_not_the_previous_one()
    {
        var server = ServerDecider.Fold([.. FirstAttempt(), A.Rescheduled(A.Host, HostFault), new ServerScheduled(A.ServerId, A.OtherHost)])!;
        Assert.NotNull(server.Alternates);
        Assert.Empty(server.Alternates);
    }

    [Fact]
    public void A_build_that_succeeds_on_the_second_host_clears_the_fault()
    {
        var events = new List<object>(FirstAttempt());
        void Do(ServerCommand command) => events.AddRange(ServerDecider.Decide(command, ServerDecider.Fold(events)));

        Do(Failed(A.Host));
        Assert.Equal(HostFault, ServerDecider.Fold(events)!.Fault);
        Do(new ServerCommand.RecordScheduled(A.OtherHost, [A.ThirdHost]));
        Do(new ServerCommand.RecordBuildStep(A.OtherHost, TaskState.Spawning));
        Do(new ServerCommand.RecordBuilt(A.OtherHost, A.Launched));

        var server = ServerDecider.Fold(events)!;
        Assert.Equal((VmState.Active, (TaskState?)null, PowerState.Running, A.OtherHost, "ACTIVE"),
            (server.VmState, server.TaskState, server.PowerState, server.Host, server.Status));
        Assert.Null(server.Fault);
        Assert.Equal(2, server.Attempts);
        Assert.Equal([A.Host, A.OtherHost], server.HostsTried);
        Assert.Equal(
            [typeof(ServerCreateRequested), typeof(ServerScheduled), typeof(ServerRescheduled), typeof(ServerScheduled),
             typeof(ServerBuildStepStarted), typeof(ServerBuilt)],
            events.Select(e => e.GetType()));
    }

    [Fact]
    public void Three_retryable_failures_through_the_decider_end_in_error_on_the_third_host()
    {
        var events = new List<object> { A.Created() };
        void Do(ServerCommand command) => events.AddRange(ServerDecider.Decide(command, ServerDecider.Fold(events)));

        Do(new ServerCommand.RecordScheduled(A.Host, [A.OtherHost, A.ThirdHost]));
        Do(Failed(A.Host));
        Do(new ServerCommand.RecordScheduled(A.OtherHost, [A.ThirdHost]));
        Do(Failed(A.OtherHost));
        Do(new ServerCommand.RecordScheduled(A.ThirdHost));
        Do(Failed(A.ThirdHost));
        Do(Failed(A.ThirdHost)); // redelivered: nothing more

        var server = ServerDecider.Fold(events)!;
        Assert.Equal((VmState.Error, "ERROR", A.ThirdHost, 3), (server.VmState, server.Status, server.Host, server.Attempts));
        Assert.Equal(ExhaustedMessage, server.Fault!.Message);
        Assert.Equal(2, events.OfType<ServerRescheduled>().Count());
        Assert.Single(events.OfType<ServerBuildFailed>());
    }
}
