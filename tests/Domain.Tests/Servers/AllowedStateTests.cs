using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>Nova's allowed-state table (reference: "Instance state"), row by row, as the decider implements it.</summary>
public class AllowedStateTests
{
    // ---- create -------------------------------------------------------------------------------

    [Fact]
    public void Create_on_an_empty_stream_requests_the_server_in_the_requesters_project()
    {
        Given()
            .When(A.Create())
            .Then(new ServerCreateRequested(A.ServerId, "web-1", A.Project, A.Owner.UserId, A.Flavor, A.Image,
                new Dictionary<string, string> { ["role"] = "web", ["tier"] = "1" }, A.Networks, A.T0, Hostname: "web-1"));
    }

    [Fact]
    public void Create_puts_the_server_in_building_scheduling_without_a_host()
    {
        var events = ServerDecider.Decide(A.Create(), null);
        var server = ServerDecider.Fold(events)!;

        Assert.Equal((VmState.Building, TaskState.Scheduling, PowerState.NoState), (server.VmState, server.TaskState, server.PowerState));
        Assert.Null(server.Host);
        Assert.Equal("BUILD", server.Status);
    }

    [Theory]
    [InlineData("building")]
    [InlineData("active")]
    [InlineData("stopped")]
    [InlineData("error")]
    [InlineData("active/deleting")]
    [InlineData("deleted")]
    public void Create_on_an_existing_stream_is_a_conflict(string state)
    {
        var conflict = Given(History.Of(state)).When(A.Create()).ThenThrows<ServerConflict>();
        Assert.Contains(A.ServerId.ToString(), conflict.Message);
    }

    // ---- delete (any vm_state, any task) ------------------------------------------------------

    [Theory]
    [InlineData("building/scheduled")]
    [InlineData("building/spawning")]
    [InlineData("active")]
    [InlineData("active/powering-off")]
    [InlineData("active/rebooting")]
    [InlineData("active/rebooting_hard")]
    [InlineData("stopped")]
    [InlineData("stopped/powering-on")]
    [InlineData("error")]
    [InlineData("error/powering-off")]
    public void Delete_is_allowed_from_any_state_on_a_host(string state)
    {
        Given(History.Of(state)).When(A.Delete()).Then(A.DeleteRequested(A.Host));
    }

    [Theory]
    [InlineData("building")]
    [InlineData("building/rescheduled")] // its failed host released the claim: nothing to tear down
    [InlineData("error-unscheduled")]
    public void Delete_of_a_server_that_never_had_a_host_completes_at_once(string state)
    {
        Given(History.Of(state)).When(A.Delete()).Then(A.DeleteRequested(host: null), A.Deleted());
    }

    // ---- os-stop: active, error -----------------------------------------------------------------

    [Theory]
    [InlineData("active")]
    [InlineData("error")]
    public void Stop_is_allowed_from(string state)
    {
        Given(History.Of(state)).When(A.Stop()).Then(A.StopRequested());
    }

    [Theory]
    [InlineData("building")]
    [InlineData("building/scheduled")]
    [InlineData("building/spawning")]
    [InlineData("building/rescheduled")]
    [InlineData("stopped")]
    [InlineData("error-unscheduled")] // error, but no host to stop it on
    public void Stop_is_a_conflict_in_vm_state(string state)
    {
        Given(History.Of(state)).When(A.Stop()).ThenThrows<ServerConflict>();
    }

    [Theory]
    [InlineData("active/powering-off")]
    [InlineData("active/rebooting")]
    [InlineData("active/rebooting_hard")]
    [InlineData("active/deleting")]
    [InlineData("error/powering-off")]
    [InlineData("error/rebooting_hard")]
    public void Stop_is_a_conflict_while_a_task_is_in_progress(string state)
    {
        Given(History.Of(state)).When(A.Stop()).ThenThrows<ServerConflict>();
    }

    [Fact]
    public void Stop_of_a_stopped_server_names_the_vm_state_as_nova_does()
    {
        var conflict = Given(History.Of("stopped")).When(A.Stop()).ThenThrows<ServerConflict>();
        Assert.Equal($"Cannot 'stop' instance {A.ServerId} while it is in vm_state stopped", conflict.Message);
    }

    [Fact]
    public void Stop_while_powering_off_names_the_task_state()
    {
        var conflict = Given(History.Of("active/powering-off")).When(A.Stop()).ThenThrows<ServerConflict>();
        Assert.Equal($"Cannot 'stop' instance {A.ServerId} while it is in task_state powering-off", conflict.Message);
    }

    // ---- os-start: stopped ----------------------------------------------------------------------

    [Fact]
    public void Start_is_allowed_from_stopped()
    {
        Given(History.Of("stopped")).When(A.Start()).Then(A.StartRequested());
    }

    [Theory]
    [InlineData("building")]
    [InlineData("building/spawning")]
    [InlineData("building/rescheduled")]
    [InlineData("active")]
    [InlineData("error")]
    [InlineData("error-unscheduled")]
    public void Start_is_a_conflict_in_vm_state(string state)
    {
        Given(History.Of(state)).When(A.Start()).ThenThrows<ServerConflict>();
    }

    [Theory]
    [InlineData("stopped/powering-on")]
    [InlineData("stopped/rebooting_hard")]
    [InlineData("stopped/deleting")]
    [InlineData("active/powering-off")] // a start racing a stop that has not finished
    public void Start_is_a_conflict_while_a_task_is_in_progress(string state)
    {
        Given(History.Of(state)).When(A.Start()).ThenThrows<ServerConflict>();
    }

    [Fact]
    public void Start_while_powering_on_names_the_task_state()
    {
        var conflict = Given(History.Of("stopped/powering-on")).When(A.Start()).ThenThrows<ServerConflict>();
        Assert.Equal($"Cannot 'start' instance {A.ServerId} while it is in task_state powering-on", conflict.Message);
    }

    // ---- reboot SOFT: active --------------------------------------------------------------------

    [Fact]
    public void Soft_reboot_is_allowed_from_active()
    {
        Given(History.Of("active")).When(A.Reboot(RebootType.Soft)).Then(A.RebootRequested(RebootType.Soft));
    }

    [Theory]
    [InlineData("building")]
    [InlineData("building/spawning")]
    [InlineData("building/rescheduled")]
    [InlineData("stopped")]
    [InlineData("error")]
    public void Soft_reboot_is_a_conflict_in_vm_state(string state)
    {
        Given(History.Of(state)).When(A.Reboot(RebootType.Soft)).ThenThrows<ServerConflict>();
    }

    [Theory]
    [InlineData("active/rebooting")]
    [InlineData("active/rebooting_hard")]
    [InlineData("active/powering-off")]
    [InlineData("active/deleting")]
    public void Soft_reboot_is_a_conflict_while_a_task_is_in_progress(string state)
    {
        Given(History.Of(state)).When(A.Reboot(RebootType.Soft)).ThenThrows<ServerConflict>();
    }

    [Fact]
    public void Soft_reboot_of_a_stopped_server_names_the_action_reboot()
    {
        var conflict = Given(History.Of("stopped")).When(A.Reboot(RebootType.Soft)).ThenThrows<ServerConflict>();
        Assert.Equal($"Cannot 'reboot' instance {A.ServerId} while it is in vm_state stopped", conflict.Message);
    }

    // ---- reboot HARD: active, stopped, (paused, suspended), error -------------------------------

    [Theory]
    [InlineData("active")]
    [InlineData("stopped")]
    [InlineData("error")]
    public void Hard_reboot_is_allowed_from(string state)
    {
        Given(History.Of(state)).When(A.Reboot(RebootType.Hard)).Then(A.RebootRequested(RebootType.Hard));
    }

    [Theory]
    [InlineData("building")]
    [InlineData("building/scheduled")]
    [InlineData("building/spawning")]
    [InlineData("building/rescheduled")]
    [InlineData("error-unscheduled")] // error, but no host to reboot it on
    public void Hard_reboot_is_a_conflict_in_vm_state(string state)
    {
        Given(History.Of(state)).When(A.Reboot(RebootType.Hard)).ThenThrows<ServerConflict>();
    }

    [Theory]
    [InlineData("active/rebooting")]
    [InlineData("active/rebooting_hard")]
    [InlineData("active/powering-off")]
    [InlineData("stopped/powering-on")]
    [InlineData("stopped/rebooting_hard")]
    [InlineData("error/rebooting_hard")]
    [InlineData("active/deleting")]
    public void Hard_reboot_is_a_conflict_while_a_task_is_in_progress(string state)
    {
        Given(History.Of(state)).When(A.Reboot(RebootType.Hard)).ThenThrows<ServerConflict>();
    }

    [Fact]
    public void Hard_reboot_while_rebooting_hard_names_the_task_state()
    {
        var conflict = Given(History.Of("active/rebooting_hard")).When(A.Reboot(RebootType.Hard)).ThenThrows<ServerConflict>();
        Assert.Equal($"Cannot 'reboot' instance {A.ServerId} while it is in task_state rebooting_hard", conflict.Message);
    }

    // ---- lock / unlock: any vm_state --------------------------------------------------------------

    [Theory]
    [InlineData("building")]
    [InlineData("building/spawning")]
    [InlineData("active")]
    [InlineData("active/rebooting")]
    [InlineData("stopped")]
    [InlineData("error")]
    [InlineData("error-unscheduled")]
    [InlineData("active/deleting")]
    public void Lock_is_allowed_from_any_state(string state)
    {
        Given(History.Of(state)).When(A.Lock(reason: "maintenance")).Then(A.LockedByOwner("maintenance"));
    }

    [Theory]
    [InlineData("building")]
    [InlineData("active")]
    [InlineData("stopped")]
    [InlineData("error")]
    [InlineData("stopped/powering-on")]
    public void Unlock_is_allowed_from_any_state(string state)
    {
        Given(History.Of(state, A.LockedByOwner())).When(A.Unlock()).Then(A.Unlocked());
    }
}
