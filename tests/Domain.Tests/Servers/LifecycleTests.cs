using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;

namespace Nova.Domain.Tests.Servers;

/// <summary>
/// A full story driven through the decider: every command's events are applied with Evolve,
/// and the (vm_state, task_state, power_state, status) after each step is Nova's.
/// </summary>
public class LifecycleTests
{
    private sealed class Story
    {
        private readonly List<object> stream = [];
        public Server? State { get; private set; }

        public Story Do(ServerCommand command, int expectedEvents = 1)
        {
            var events = ServerDecider.Decide(command, State);
            Assert.Equal(expectedEvents, events.Count);
            foreach (var e in events)
            {
                stream.Add(e);
                State = Server.Evolve(State, e);
            }
            return this;
        }

        public Story Is(VmState vm, TaskState? task, PowerState power, string status)
        {
            Assert.NotNull(State);
            Assert.Equal((vm, task, power, status), (State.VmState, State.TaskState, State.PowerState, State.Status));
            // the stream folds to the same state from scratch
            Assert.Equal(State, ServerDecider.Fold(stream), ServerStateComparer.Instance);
            return this;
        }
    }

    [Fact]
    public void Boot_stop_start_reboot_delete()
    {
        var story = new Story();

        story.Do(A.Create()).Is(VmState.Building, TaskState.Scheduling, PowerState.NoState, "BUILD");
        story.Do(new ServerCommand.RecordScheduled(A.Host)).Is(VmState.Building, TaskState.Scheduling, PowerState.NoState, "BUILD");
        Assert.Equal(A.Host, story.State!.Host);
        story.Do(new ServerCommand.RecordBuildStep(A.Host, TaskState.Networking)).Is(VmState.Building, TaskState.Networking, PowerState.NoState, "BUILD");
        story.Do(new ServerCommand.RecordBuildStep(A.Host, TaskState.BlockDeviceMapping)).Is(VmState.Building, TaskState.BlockDeviceMapping, PowerState.NoState, "BUILD");
        story.Do(new ServerCommand.RecordBuildStep(A.Host, TaskState.Spawning)).Is(VmState.Building, TaskState.Spawning, PowerState.NoState, "BUILD");
        story.Do(new ServerCommand.RecordBuilt(A.Host, A.Launched)).Is(VmState.Active, null, PowerState.Running, "ACTIVE");
        Assert.Equal(A.Launched, story.State!.LaunchedAt);

        story.Do(A.Stop()).Is(VmState.Active, TaskState.PoweringOff, PowerState.Running, "ACTIVE");
        story.Do(new ServerCommand.RecordStopped(A.Host)).Is(VmState.Stopped, null, PowerState.Shutdown, "SHUTOFF");

        story.Do(A.Start()).Is(VmState.Stopped, TaskState.PoweringOn, PowerState.Shutdown, "SHUTOFF");
        story.Do(new ServerCommand.RecordStarted(A.Host)).Is(VmState.Active, null, PowerState.Running, "ACTIVE");

        story.Do(A.Reboot(RebootType.Soft)).Is(VmState.Active, TaskState.Rebooting, PowerState.Running, "REBOOT");
        story.Do(new ServerCommand.RecordRebooted(A.Host)).Is(VmState.Active, null, PowerState.Running, "ACTIVE");

        story.Do(A.Reboot(RebootType.Hard)).Is(VmState.Active, TaskState.RebootingHard, PowerState.Running, "HARD_REBOOT");
        story.Do(new ServerCommand.RecordRebooted(A.Host)).Is(VmState.Active, null, PowerState.Running, "ACTIVE");

        story.Do(A.Lock()).Is(VmState.Active, null, PowerState.Running, "ACTIVE");
        Assert.True(story.State!.Locked);
        story.Do(A.Unlock()).Is(VmState.Active, null, PowerState.Running, "ACTIVE");
        Assert.False(story.State!.Locked);

        story.Do(A.Delete()).Is(VmState.Active, TaskState.Deleting, PowerState.Running, "ACTIVE");
        story.Do(new ServerCommand.RecordDeleted(A.Host, A.Gone)).Is(VmState.Deleted, null, PowerState.NoState, "DELETED");
        Assert.Equal(A.Gone, story.State!.TerminatedAt);
    }

    [Fact]
    public void A_failed_build_then_hard_reboot_recovers_to_active_and_clears_the_fault()
    {
        var story = new Story();
        story.Do(A.Create());
        story.Do(new ServerCommand.RecordScheduled(A.Host));
        story.Do(new ServerCommand.RecordBuildFailed(A.Host, A.BuildFault)).Is(VmState.Error, null, PowerState.NoState, "ERROR");
        Assert.Equal(A.BuildFault, story.State!.Fault);

        story.Do(A.Reboot(RebootType.Hard)).Is(VmState.Error, TaskState.RebootingHard, PowerState.NoState, "HARD_REBOOT");
        story.Do(new ServerCommand.RecordRebooted(A.Host)).Is(VmState.Active, null, PowerState.Running, "ACTIVE");
        Assert.Null(story.State!.Fault);
    }

    [Fact]
    public void A_hypervisor_failure_is_retried_on_an_alternate_which_builds_the_server()
    {
        var story = new Story();
        story.Do(A.Create());
        story.Do(new ServerCommand.RecordScheduled(A.Host, [A.OtherHost, A.ThirdHost]));
        story.Do(new ServerCommand.RecordBuildStep(A.Host, TaskState.Spawning)).Is(VmState.Building, TaskState.Spawning, PowerState.NoState, "BUILD");
        story.Do(new ServerCommand.RecordBuildFailed(A.Host, A.BuildFault, Retryable: true))
            .Is(VmState.Building, TaskState.Scheduling, PowerState.NoState, "BUILD");
        Assert.Null(story.State!.Host);
        story.Do(new ServerCommand.RecordBuildFailed(A.Host, A.BuildFault, Retryable: true), expectedEvents: 0);

        story.Do(new ServerCommand.RecordScheduled(A.OtherHost, [A.ThirdHost])).Is(VmState.Building, TaskState.Scheduling, PowerState.NoState, "BUILD");
        story.Do(new ServerCommand.RecordBuildStep(A.OtherHost, TaskState.Networking)).Is(VmState.Building, TaskState.Networking, PowerState.NoState, "BUILD");
        story.Do(new ServerCommand.RecordBuilt(A.OtherHost, A.Launched)).Is(VmState.Active, null, PowerState.Running, "ACTIVE");
        Assert.Equal((A.OtherHost, 2, (ServerFault?)null), (story.State!.Host, story.State.Attempts, story.State.Fault));
        Assert.Equal([A.Host, A.OtherHost], story.State.HostsTried);

        // later actions go to the host that built it
        story.Do(A.Stop()).Is(VmState.Active, TaskState.PoweringOff, PowerState.Running, "ACTIVE");
        story.Do(new ServerCommand.RecordStopped(A.Host), expectedEvents: 0);
        story.Do(new ServerCommand.RecordStopped(A.OtherHost)).Is(VmState.Stopped, null, PowerState.Shutdown, "SHUTOFF");
    }

    [Fact]
    public void A_failed_stop_clears_the_task_and_keeps_the_server_running()
    {
        var story = new Story();
        story.Do(A.Create());
        story.Do(new ServerCommand.RecordScheduled(A.Host));
        story.Do(new ServerCommand.RecordBuilt(A.Host, A.Launched));
        story.Do(A.Stop()).Is(VmState.Active, TaskState.PoweringOff, PowerState.Running, "ACTIVE");
        story.Do(new ServerCommand.RecordActionFailed(A.Host, ServerAction.Stop, "timeout"))
            .Is(VmState.Active, null, PowerState.Running, "ACTIVE");

        // and the user may try again
        story.Do(A.Stop()).Is(VmState.Active, TaskState.PoweringOff, PowerState.Running, "ACTIVE");
    }

    [Fact]
    public void A_failed_hard_reboot_of_a_stopped_server_leaves_it_stopped()
    {
        var story = new Story();
        story.Do(A.Create());
        story.Do(new ServerCommand.RecordScheduled(A.Host));
        story.Do(new ServerCommand.RecordBuilt(A.Host, A.Launched));
        story.Do(A.Stop());
        story.Do(new ServerCommand.RecordStopped(A.Host));
        story.Do(A.Reboot(RebootType.Hard)).Is(VmState.Stopped, TaskState.RebootingHard, PowerState.Shutdown, "HARD_REBOOT");
        story.Do(new ServerCommand.RecordActionFailed(A.Host, ServerAction.Reboot, "no"))
            .Is(VmState.Stopped, null, PowerState.Shutdown, "SHUTOFF");
    }

    [Fact]
    public void Scheduling_failure_ends_in_error_without_a_host_and_delete_completes_locally()
    {
        var story = new Story();
        story.Do(A.Create());
        story.Do(new ServerCommand.RecordSchedulingFailed(new ServerFault(500, ServerFault.NoValidHost)))
            .Is(VmState.Error, null, PowerState.NoState, "ERROR");
        Assert.Null(story.State!.Host);
        Assert.Equal(ServerFault.NoValidHost, story.State!.Fault!.Message);

        story.Do(A.Delete(), expectedEvents: 2).Is(VmState.Deleted, null, PowerState.NoState, "DELETED");
    }

    [Fact]
    public void Create_records_what_was_asked_for()
    {
        var server = ServerDecider.Fold(ServerDecider.Decide(A.Create(), null))!;
        Assert.Equal(A.ServerId, server.Id);
        Assert.Equal("web-1", server.Name);
        Assert.Equal(A.Project, server.ProjectId);
        Assert.Equal(A.Owner.UserId, server.UserId);
        Assert.Equal(A.Flavor, server.Flavor);
        Assert.Equal(A.Image, server.ImageId);
        Assert.Equal(A.Networks, server.Networks);
        Assert.Equal(A.T0, server.CreatedAt);
        Assert.False(server.Locked);
        Assert.Null(server.LaunchedAt);
        Assert.Null(server.TerminatedAt);
        Assert.Null(server.Fault);
    }

    [Fact]
    public void Fold_of_an_empty_stream_is_no_server()
    {
        Assert.Null(ServerDecider.Fold([]));
    }

    [Fact]
    public void An_event_before_the_create_is_refused_by_evolve()
    {
        Assert.Throws<InvalidOperationException>(() => Server.Evolve(null, A.Scheduled()));
    }
}
