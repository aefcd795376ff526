using Nova.Domain.Servers;

namespace Nova.Domain.Tests.Support;

/// <summary>The test comparers must still tell different events and states apart, or the specs they serve prove nothing.</summary>
public class ComparerTests
{
    [Fact]
    public void Scheduled_events_compare_alternates_by_content_and_order()
    {
        var comparer = EventComparer.Instance;
        Assert.True(comparer.Equals(A.Scheduled(A.Host, A.OtherHost), new ServerScheduled(A.ServerId, A.Host, new List<string> { A.OtherHost })));
        Assert.True(comparer.Equals(A.Scheduled(A.Host), new ServerScheduled(A.ServerId, A.Host, null)));
        Assert.False(comparer.Equals(A.Scheduled(A.Host, A.OtherHost, A.ThirdHost), A.Scheduled(A.Host, A.ThirdHost, A.OtherHost)));
        Assert.False(comparer.Equals(A.Scheduled(A.Host, A.OtherHost), A.Scheduled(A.Host)));
        Assert.False(comparer.Equals(A.Scheduled(A.Host, A.ThirdHost), A.Scheduled(A.OtherHost, A.ThirdHost)));
    }

    [Fact]
    public void Server_states_compare_host_lists_by_content_and_everything_else_by_value()
    {
        var comparer = ServerStateComparer.Instance;
        var history = History.Of("building/rescheduled");
        Assert.True(comparer.Equals(ServerDecider.Fold(history), ServerDecider.Fold(history)));

        var state = ServerDecider.Fold(history)!;
        Assert.False(comparer.Equals(state, state with { TriedHosts = [A.OtherHost] }));
        Assert.False(comparer.Equals(state, state with { Alternates = [A.ThirdHost, A.OtherHost] }));
        Assert.False(comparer.Equals(state, state with { Attempts = 2 }));
        Assert.False(comparer.Equals(state, null));
        Assert.True(comparer.Equals(null, null));
    }
}
