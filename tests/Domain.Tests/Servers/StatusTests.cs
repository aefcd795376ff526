using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;

namespace Nova.Domain.Tests.Servers;

/// <summary>The API status derived from vm_state and task_state (Nova's common.py).</summary>
public class StatusTests
{
    [Theory]
    [InlineData(VmState.Building, TaskState.Scheduling, "BUILD")]
    [InlineData(VmState.Building, TaskState.Networking, "BUILD")]
    [InlineData(VmState.Building, TaskState.Spawning, "BUILD")]
    [InlineData(VmState.Building, TaskState.Deleting, "BUILD")]
    [InlineData(VmState.Active, null, "ACTIVE")]
    [InlineData(VmState.Active, TaskState.PoweringOff, "ACTIVE")]
    [InlineData(VmState.Active, TaskState.Deleting, "ACTIVE")]
    [InlineData(VmState.Active, TaskState.Rebooting, "REBOOT")]
    [InlineData(VmState.Active, TaskState.RebootPending, "REBOOT")]
    [InlineData(VmState.Active, TaskState.RebootStarted, "REBOOT")]
    [InlineData(VmState.Active, TaskState.RebootingHard, "HARD_REBOOT")]
    [InlineData(VmState.Active, TaskState.RebootPendingHard, "HARD_REBOOT")]
    [InlineData(VmState.Active, TaskState.RebootStartedHard, "HARD_REBOOT")]
    [InlineData(VmState.Stopped, null, "SHUTOFF")]
    [InlineData(VmState.Stopped, TaskState.PoweringOn, "SHUTOFF")]
    [InlineData(VmState.Stopped, TaskState.RebootingHard, "HARD_REBOOT")]
    [InlineData(VmState.Error, null, "ERROR")]
    [InlineData(VmState.Error, TaskState.PoweringOff, "ERROR")]
    [InlineData(VmState.Error, TaskState.RebootingHard, "HARD_REBOOT")]
    [InlineData(VmState.Deleted, null, "DELETED")]
    [InlineData(VmState.Paused, null, "PAUSED")]
    [InlineData(VmState.Suspended, null, "SUSPENDED")]
    [InlineData(VmState.SoftDeleted, null, "SOFT_DELETED")]
    [InlineData(VmState.Shelved, null, "SHELVED")]
    [InlineData(VmState.ShelvedOffloaded, null, "SHELVED_OFFLOADED")]
    [InlineData(VmState.Rescued, null, "RESCUE")]
    [InlineData(VmState.Resized, null, "VERIFY_RESIZE")]
    public void Derive(VmState vm, TaskState? task, string expected)
    {
        Assert.Equal(expected, ServerStatus.Derive(vm, task));
    }

    [Theory]
    [InlineData("building", "BUILD")]
    [InlineData("building/spawning", "BUILD")]
    [InlineData("building/rescheduled", "BUILD")]
    [InlineData("active", "ACTIVE")]
    [InlineData("active/rebooting", "REBOOT")]
    [InlineData("active/rebooting_hard", "HARD_REBOOT")]
    [InlineData("stopped", "SHUTOFF")]
    [InlineData("stopped/rebooting_hard", "HARD_REBOOT")]
    [InlineData("error", "ERROR")]
    [InlineData("error-unscheduled", "ERROR")]
    [InlineData("deleted", "DELETED")]
    public void A_servers_status_follows_its_history(string history, string expected)
    {
        Assert.Equal(expected, ServerDecider.Fold(History.Of(history))!.Status);
    }

    [Theory]
    [InlineData(VmState.SoftDeleted, "soft-delete")]
    [InlineData(VmState.ShelvedOffloaded, "shelved_offloaded")]
    [InlineData(VmState.Stopped, "stopped")]
    [InlineData(VmState.Building, "building")]
    public void Vm_state_names_are_novas(VmState state, string expected)
    {
        Assert.Equal(expected, NovaNames.Of(state));
    }

    [Theory]
    [InlineData(TaskState.PoweringOff, "powering-off")]
    [InlineData(TaskState.PoweringOn, "powering-on")]
    [InlineData(TaskState.BlockDeviceMapping, "block_device_mapping")]
    [InlineData(TaskState.RebootingHard, "rebooting_hard")]
    [InlineData(TaskState.RebootStartedHard, "reboot_started_hard")]
    [InlineData(TaskState.Scheduling, "scheduling")]
    [InlineData(null, null)]
    public void Task_state_names_are_novas(TaskState? task, string? expected)
    {
        Assert.Equal(expected, NovaNames.Of(task));
    }
}
