using Nova.Domain.Flavors;
using Nova.Domain.Servers;

namespace Nova.Domain.Tests.Servers;

public class PowerStateSyncDecisionTests
{
    private static readonly Guid Id = Guid.Parse("33333333-3333-3333-3333-333333333333");

    private static Server Active() => ServerDecider.Fold([
        new ServerCreateRequested(Id, "s", "p", "u", new FlavorSpec("1", "m1.tiny", 1, 512, 1), "img",
            new Dictionary<string, string>(), "none", DateTimeOffset.UnixEpoch),
        new ServerScheduled(Id, "h1"),
        new ServerBuilt(Id, "h1", DateTimeOffset.UnixEpoch),
    ])!;

    [Fact]
    public void A_guest_that_shut_down_by_itself_makes_an_active_server_stopped()
    {
        var events = ServerDecider.Decide(new ServerCommand.RecordPowerState("h1", PowerState.Shutdown), Active());
        var changed = Assert.IsType<ServerPowerStateChanged>(Assert.Single(events));
        var after = Server.Evolve(Active(), changed);
        Assert.Equal((VmState.Stopped, PowerState.Shutdown, "SHUTOFF"), (after.VmState, after.PowerState, after.Status));
    }

    [Fact]
    public void The_same_power_state_another_host_or_a_task_in_progress_records_nothing()
    {
        Assert.Empty(ServerDecider.Decide(new ServerCommand.RecordPowerState("h1", PowerState.Running), Active()));
        Assert.Empty(ServerDecider.Decide(new ServerCommand.RecordPowerState("h2", PowerState.Shutdown), Active()));
        var stopping = Server.Evolve(Active(), new ServerStopRequested(Id, "h1"));
        Assert.Empty(ServerDecider.Decide(new ServerCommand.RecordPowerState("h1", PowerState.Shutdown), stopping));
    }

    [Fact]
    public void A_stopped_server_whose_guest_runs_again_records_the_power_state_but_stays_stopped()
    {
        var stopped = Server.Evolve(Server.Evolve(Active(), new ServerStopRequested(Id, "h1")), new ServerStopped(Id, "h1"));
        var events = ServerDecider.Decide(new ServerCommand.RecordPowerState("h1", PowerState.Running), stopped);
        var after = Server.Evolve(stopped, Assert.Single(events));
        Assert.Equal((VmState.Stopped, PowerState.Running), (after.VmState, after.PowerState));
    }
}
