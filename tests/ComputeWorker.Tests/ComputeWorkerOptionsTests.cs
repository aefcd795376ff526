namespace Nova.ComputeWorker.Tests;

public class ComputeWorkerOptionsTests
{
    [Fact]
    public void By_default_the_process_serves_one_fake_host()
    {
        var options = new ComputeWorkerOptions();

        Assert.Equal(["fake-1"], options.HostNames());
    }

    [Theory]
    [InlineData(1, new[] { "fake-1" })]
    [InlineData(2, new[] { "fake-1", "fake-2" })]
    [InlineData(4, new[] { "fake-1", "fake-2", "fake-3", "fake-4" })]
    public void Without_explicit_hosts_the_names_are_fake_1_to_fake_N(int fakeHosts, string[] expected)
    {
        var options = new ComputeWorkerOptions { FakeHosts = fakeHosts };

        Assert.Equal(expected, options.HostNames());
    }

    [Fact]
    public void Many_fake_hosts_get_distinct_names_in_order()
    {
        var options = new ComputeWorkerOptions { FakeHosts = 25 };

        var names = options.HostNames();

        Assert.Equal(25, names.Count);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"fake-{i}"), names);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_fake_host_count_below_one_still_serves_one_host(int fakeHosts)
    {
        var options = new ComputeWorkerOptions { FakeHosts = fakeHosts };

        Assert.Equal(["fake-1"], options.HostNames());
    }

    [Fact]
    public void Explicit_hosts_are_used_as_given()
    {
        var options = new ComputeWorkerOptions { Hosts = ["compute-a", "compute-b"] };

        Assert.Equal(["compute-a", "compute-b"], options.HostNames());
    }

    [Fact]
    public void Explicit_hosts_win_over_the_fake_host_count()
    {
        var options = new ComputeWorkerOptions { Hosts = ["compute-a"], FakeHosts = 5 };

        Assert.Equal(["compute-a"], options.HostNames());
    }

    [Fact]
    public void The_defaults_select_the_fake_driver()
    {
        var options = new ComputeWorkerOptions();

        Assert.Equal("fake", options.Driver);
        Assert.Empty(options.Hosts);
        Assert.Equal(1, options.FakeHosts);
        Assert.NotNull(options.Fake);
    }
}
