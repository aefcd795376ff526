using Nova.Domain.Hosts;
using Nova.Domain.Scheduling;

namespace Nova.Domain.Tests.Scheduling;

public class HostSelectionTests
{
    private static readonly HostResources Request = new(2, 4096, 40);

    private static HostCandidate Host(string name, int freeVcpus = 8, int freeMemoryMb = 16384, int freeDiskGb = 200,
        bool isUp = true, bool isEnabled = true) =>
        new(name, new HostResources(16, 32768, 400), new HostResources(16 - freeVcpus, 32768 - freeMemoryMb, 400 - freeDiskGb), isUp, isEnabled);

    private static string[] Names(IEnumerable<HostCandidate> hosts) => hosts.Select(h => h.Name).ToArray();

    [Fact]
    public void A_host_that_is_down_is_filtered_out()
    {
        Assert.Equal(["up"], Names(HostSelection.Rank([Host("up"), Host("down", isUp: false)], Request)));
    }

    [Fact]
    public void A_disabled_host_is_filtered_out()
    {
        Assert.Equal(["enabled"], Names(HostSelection.Rank([Host("disabled", isEnabled: false), Host("enabled")], Request)));
    }

    [Theory]
    [InlineData(1, 16384, 200)]
    [InlineData(8, 4095, 200)]
    [InlineData(8, 16384, 39)]
    public void A_host_too_small_in_any_resource_is_filtered_out(int freeVcpus, int freeMemoryMb, int freeDiskGb)
    {
        var ranked = HostSelection.Rank([Host("small", freeVcpus, freeMemoryMb, freeDiskGb), Host("big")], Request);
        Assert.Equal(["big"], Names(ranked));
    }

    [Fact]
    public void A_host_with_exactly_the_requested_resources_free_is_kept()
    {
        Assert.Equal(["exact"], Names(HostSelection.Rank([Host("exact", 2, 4096, 40)], Request)));
    }

    [Fact]
    public void Free_resources_count_the_used_ones()
    {
        // capacity alone would fit; what is already used leaves too little
        var busy = new HostCandidate("busy", new HostResources(16, 32768, 400), new HostResources(15, 1000, 10), true, true);
        Assert.Empty(HostSelection.Rank([busy], Request));
    }

    [Fact]
    public void No_candidate_gives_an_empty_ranking()
    {
        Assert.Empty(HostSelection.Rank([Host("down", isUp: false), Host("off", isEnabled: false)], Request));
    }

    [Fact]
    public void Hosts_are_ordered_by_most_free_ram_first()
    {
        var ranked = HostSelection.Rank([Host("a", freeMemoryMb: 8192), Host("b", freeMemoryMb: 30000), Host("c", freeMemoryMb: 16384)], Request);
        Assert.Equal(["b", "c", "a"], Names(ranked));
    }

    [Fact]
    public void Equal_free_ram_is_broken_by_most_free_vcpus()
    {
        var ranked = HostSelection.Rank([Host("a", freeVcpus: 4), Host("b", freeVcpus: 12), Host("c", freeVcpus: 8)], Request);
        Assert.Equal(["b", "c", "a"], Names(ranked));
    }

    [Fact]
    public void Free_ram_outranks_free_vcpus()
    {
        var ranked = HostSelection.Rank([Host("cpu-rich", freeVcpus: 16, freeMemoryMb: 8192), Host("ram-rich", freeVcpus: 2, freeMemoryMb: 8193)], Request);
        Assert.Equal(["ram-rich", "cpu-rich"], Names(ranked));
    }

    [Fact]
    public void Equal_ram_and_vcpus_are_ordered_by_name_ordinally()
    {
        var ranked = HostSelection.Rank([Host("compute-b"), Host("Compute-c"), Host("compute-a")], Request);
        // ordinal: upper case sorts before lower case
        Assert.Equal(["Compute-c", "compute-a", "compute-b"], Names(ranked));
    }

    [Fact]
    public void Free_disk_does_not_affect_the_order()
    {
        var ranked = HostSelection.Rank([Host("b", freeDiskGb: 400), Host("a", freeDiskGb: 40)], Request);
        Assert.Equal(["a", "b"], Names(ranked));
    }
}
