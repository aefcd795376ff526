using Nova.Domain.HostAggregates;

namespace Nova.Domain.Tests.HostAggregates;

public class HostAggregateDeciderTests
{
    private static HostAggregate Aggregate(int id, string name, string? zone = null, params string[] hosts) =>
        new(id, Guid.NewGuid(), name, hosts,
            zone is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [HostAggregate.ZoneKey] = zone });

    private static HostAggregateContext Context(params HostAggregate[] others) => new(others, _ => false);

    [Fact]
    public void A_host_added_to_a_zoned_aggregate_moves_into_that_zone()
    {
        var change = HostAggregateDecider.Decide(new HostAggregateCommand.AddHost("h1"), Aggregate(1, "rack-1", "az1"), Context());

        Assert.Equal(["h1"], change.Aggregate.Hosts);
        Assert.Equal(new Dictionary<string, string?> { ["h1"] = "az1" }, change.HostZones);
    }

    [Fact]
    public void A_host_added_to_an_aggregate_without_zone_keeps_its_zone()
    {
        var change = HostAggregateDecider.Decide(new HostAggregateCommand.AddHost("h1"), Aggregate(1, "ssd"), Context());

        Assert.Equal(["h1"], change.Aggregate.Hosts);
        Assert.Empty(change.HostZones);
    }

    [Fact]
    public void A_host_already_in_the_aggregate_is_a_conflict()
    {
        var error = Assert.Throws<HostAggregateConflict>(() =>
            HostAggregateDecider.Decide(new HostAggregateCommand.AddHost("h1"), Aggregate(7, "ssd", null, "h1"), Context()));

        Assert.Equal("Aggregate 7 already has host h1.", error.Message);
    }

    [Fact]
    public void A_host_cannot_be_in_two_zones()
    {
        var error = Assert.Throws<InvalidHostAggregateAction>(() => HostAggregateDecider.Decide(
            new HostAggregateCommand.AddHost("h1"), Aggregate(2, "rack-2", "az2"), Context(Aggregate(1, "rack-1", "az1", "h1"))));

        Assert.Equal("Cannot add host to aggregate 2. Reason: One or more hosts already in availability zone(s) ['az1'].", error.Message);
    }

    [Fact]
    public void A_host_may_be_in_two_aggregates_of_the_same_zone_and_stays_there_when_leaving_one()
    {
        var others = Context(Aggregate(1, "rack-1", "az1", "h1"));
        var joined = HostAggregateDecider.Decide(new HostAggregateCommand.AddHost("h1"), Aggregate(2, "ssd-az1", "az1"), others);
        Assert.Empty(joined.HostZones);

        var left = HostAggregateDecider.Decide(new HostAggregateCommand.RemoveHost("h1"), joined.Aggregate, others);
        Assert.Empty(left.Aggregate.Hosts);
        Assert.Empty(left.HostZones);
    }

    [Fact]
    public void A_host_leaving_its_only_zoned_aggregate_returns_to_its_own_zone()
    {
        var change = HostAggregateDecider.Decide(new HostAggregateCommand.RemoveHost("h1"), Aggregate(1, "rack-1", "az1", "h1"), Context());

        Assert.Equal(new Dictionary<string, string?> { ["h1"] = null }, change.HostZones);
    }

    [Fact]
    public void Removing_a_host_that_is_not_a_member_is_not_found()
    {
        var error = Assert.Throws<HostAggregateNotFound>(() =>
            HostAggregateDecider.Decide(new HostAggregateCommand.RemoveHost("h9"), Aggregate(3, "rack-1", "az1", "h1"), Context()));

        Assert.Equal("Aggregate 3 has no host h9.", error.Message);
    }

    [Fact]
    public void Changing_the_zone_moves_every_member()
    {
        var change = HostAggregateDecider.Decide(new HostAggregateCommand.Update(null, SetZone: true, "az2"),
            Aggregate(1, "rack-1", "az1", "h1", "h2"), Context());

        Assert.Equal("az2", change.Aggregate.AvailabilityZone);
        Assert.Equal(new Dictionary<string, string?> { ["h1"] = "az2", ["h2"] = "az2" }, change.HostZones);
    }

    [Fact]
    public void The_zone_of_hosts_that_run_servers_cannot_change()
    {
        var context = new HostAggregateContext([], host => host == "h2");

        var error = Assert.Throws<InvalidHostAggregateAction>(() => HostAggregateDecider.Decide(
            new HostAggregateCommand.SetMetadata(new Dictionary<string, string?> { [HostAggregate.ZoneKey] = "az2" }),
            Aggregate(1, "rack-1", "az1", "h1", "h2"), context));

        Assert.Equal("Cannot update aggregate 1. Reason: One or more hosts contain instances in this zone.", error.Message);
    }

    [Fact]
    public void Metadata_is_merged_and_a_null_value_removes_a_key()
    {
        var state = Aggregate(1, "ssd") with { Metadata = new Dictionary<string, string> { ["disk"] = "ssd", ["speed"] = "fast" } };

        var change = HostAggregateDecider.Decide(
            new HostAggregateCommand.SetMetadata(new Dictionary<string, string?> { ["speed"] = null, ["rack"] = "r1" }), state, Context());

        Assert.Equal(new Dictionary<string, string> { ["disk"] = "ssd", ["rack"] = "r1" }, change.Aggregate.Metadata);
    }

    [Fact]
    public void Names_are_unique()
    {
        var error = Assert.Throws<HostAggregateConflict>(() => HostAggregateDecider.Decide(
            new HostAggregateCommand.Update("rack-1", SetZone: false, null), Aggregate(2, "rack-2"), Context(Aggregate(1, "rack-1"))));

        Assert.Equal("Aggregate rack-1 already exists.", error.Message);
    }

    [Fact]
    public void Only_an_empty_aggregate_can_be_deleted()
    {
        HostAggregateDecider.RequireEmpty(Aggregate(1, "empty"));

        var error = Assert.Throws<InvalidHostAggregateAction>(() => HostAggregateDecider.RequireEmpty(Aggregate(4, "full", null, "h1")));
        Assert.Equal("Cannot delete aggregate 4. Reason: Host aggregate is not empty.", error.Message);
    }
}
