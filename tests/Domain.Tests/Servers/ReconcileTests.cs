using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using static Nova.Domain.Tests.Support.ServerSpec;

namespace Nova.Domain.Tests.Servers;

/// <summary>The host's reconciliation: a guest gone from under a settled server, and guests nobody owns.</summary>
public class ReconcileTests
{
    [Theory]
    [InlineData("active")]
    [InlineData("stopped")]
    [InlineData("paused")]
    [InlineData("suspended")]
    [InlineData("rescued")]
    public void A_settled_server_whose_guest_is_gone_goes_to_error_with_a_fault(string state)
    {
        var events = ServerDecider.Decide(new ServerCommand.RecordGuestLost(A.Host), ServerDecider.Fold(History.Of(state)));

        var lost = Assert.IsType<ServerGuestLost>(Assert.Single(events));
        Assert.Contains(A.Host, lost.Fault.Message);
        var after = ServerDecider.Fold([.. History.Of(state), .. events])!;
        Assert.Equal(VmState.Error, after.VmState);
        Assert.Equal(PowerState.NoState, after.PowerState);
        Assert.Equal(lost.Fault, after.Fault);
    }

    [Theory]
    [InlineData("building/spawning")]
    [InlineData("active/powering-off")]
    [InlineData("active/deleting")]
    [InlineData("error")]
    [InlineData("shelved")]
    [InlineData("deleted")]
    public void A_server_in_a_task_in_error_shelved_or_gone_is_not_judged_by_an_inventory(string state)
    {
        Given(History.Of(state)).When(new ServerCommand.RecordGuestLost(A.Host)).ThenNothing();
    }

    [Fact]
    public void An_inventory_of_another_host_does_not_make_a_server_lost()
    {
        Given(History.Of("active")).When(new ServerCommand.RecordGuestLost(A.OtherHost)).ThenNothing();
    }

    [Fact]
    public void A_guest_of_a_deleted_server_is_recorded_as_an_orphan_in_its_history()
    {
        Given(History.Of("deleted"))
            .When(new ServerCommand.RecordOrphanGuest(A.Host, Reaped: true))
            .Then(new OrphanGuestFound(A.ServerId, A.Host, true));
    }

    [Fact]
    public void A_guest_left_on_a_host_the_server_moved_away_from_is_an_orphan()
    {
        Given(History.Of("shelved_offloaded"))
            .When(new ServerCommand.RecordOrphanGuest(A.Host, Reaped: false))
            .Then(new OrphanGuestFound(A.ServerId, A.Host, false));
    }

    [Fact]
    public void The_guest_of_a_live_server_on_its_own_host_is_not_an_orphan()
    {
        Given(History.Of("active")).When(new ServerCommand.RecordOrphanGuest(A.Host, Reaped: true)).ThenNothing();
    }
}
