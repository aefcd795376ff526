using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>rescue (ACTIVE, SHUTOFF, ERROR → RESCUE) and unrescue (RESCUE → ACTIVE).</summary>
public class RescueTests
{
    [Theory]
    [InlineData("active")]
    [InlineData("stopped")]
    [InlineData("error")]
    public void Rescue_with_an_image_asks_the_host_to_boot_from_it(string state) =>
        Given(History.Of(state)).When(new ServerCommand.Rescue(A.Owner, A.RescueImage))
            .Then(new ServerRescueRequested(A.ServerId, A.Host, A.RescueImage));

    [Fact]
    public void Rescue_without_an_image_uses_the_servers_own() =>
        Given(History.Of("active")).When(new ServerCommand.Rescue(A.Owner, null))
            .Then(new ServerRescueRequested(A.ServerId, A.Host, A.Image));

    [Theory]
    [InlineData("paused")]
    [InlineData("suspended")]
    [InlineData("rescued")]
    [InlineData("shelved")]
    [InlineData("active/rescuing")]
    [InlineData("error-unscheduled")]
    public void Rescue_elsewhere_is_a_conflict(string state) =>
        Given(History.Of(state)).When(new ServerCommand.Rescue(A.Owner, null)).ThenThrows<ServerConflict>();

    [Fact]
    public void Rescued_then_unrescued_runs_active_again()
    {
        Given(History.Of("active/rescuing")).When(new ServerCommand.RecordRescued(A.Host)).Then(new ServerRescued(A.ServerId, A.Host));
        var rescued = ServerDecider.Fold(History.Of("rescued"))!;
        Assert.Equal((VmState.Rescued, (TaskState?)null, PowerState.Running, "RESCUE"),
            (rescued.VmState, rescued.TaskState, rescued.PowerState, rescued.Status));

        Given(History.Of("rescued")).When(new ServerCommand.Unrescue(A.Owner)).Then(new ServerUnrescueRequested(A.ServerId, A.Host));
        Given(History.Of("rescued/unrescuing")).When(new ServerCommand.RecordUnrescued(A.Host)).Then(new ServerUnrescued(A.ServerId, A.Host));
        var back = ServerDecider.Fold(History.Of("rescued/unrescuing", new ServerUnrescued(A.ServerId, A.Host)))!;
        Assert.Equal((VmState.Active, "ACTIVE"), (back.VmState, back.Status));
    }

    [Fact]
    public void A_stopped_server_once_rescued_and_unrescued_runs()
    {
        var events = History.Of("stopped", new ServerRescueRequested(A.ServerId, A.Host, A.Image), new ServerRescued(A.ServerId, A.Host),
            new ServerUnrescueRequested(A.ServerId, A.Host), new ServerUnrescued(A.ServerId, A.Host));
        Assert.Equal(PowerState.Running, ServerDecider.Fold(events)!.PowerState);
    }

    [Fact]
    public void Unrescue_of_a_server_that_is_not_rescued_is_a_conflict() =>
        Given(History.Of("active")).When(new ServerCommand.Unrescue(A.Owner)).ThenThrows<ServerConflict>();

    [Fact]
    public void A_stale_rescue_report_decides_nothing()
    {
        Given(History.Of("rescued")).When(new ServerCommand.RecordRescued(A.Host)).ThenNothing();
        Given(History.Of("active")).When(new ServerCommand.RecordUnrescued(A.Host)).ThenNothing();
    }

    [Fact]
    public void A_rescued_server_can_be_deleted() =>
        Given(History.Of("rescued")).When(A.Delete()).Then(A.DeleteRequested(A.Host));
}
