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
    public void The_simple_form_weighs_free_ram_only_and_ignores_vcpus_and_disk()
    {
        HostCandidate[] hosts = [Host("cpu-and-disk-rich", freeVcpus: 16, freeMemoryMb: 8192, freeDiskGb: 400), Host("ram-rich", freeVcpus: 2, freeMemoryMb: 8193, freeDiskGb: 40)];
        Assert.Equal(["ram-rich", "cpu-and-disk-rich"], Names(HostSelection.Rank(hosts, Request)));
        // the filter scheduler with Nova's default multipliers counts vcpus and disk too
        Assert.Equal("cpu-and-disk-rich", HostSelection.Rank(hosts, new SchedulingRequest(Request), new SchedulerOptions(), new Random(0))[0].Name);
    }

    [Fact]
    public void The_simple_form_breaks_ties_the_same_way_every_time()
    {
        HostCandidate[] hosts = [Host("compute-b"), Host("Compute-c"), Host("compute-a")];
        var first = Names(HostSelection.Rank(hosts, Request));
        Assert.Equal(["Compute-c", "compute-a", "compute-b"], first.Order(StringComparer.Ordinal));
        for (var i = 0; i < 5; i++)
            Assert.Equal(first, Names(HostSelection.Rank(hosts, Request)));
    }

    // ---- the filter scheduler ------------------------------------------------------------------------

    private static readonly IReadOnlyList<int> Seeds = Enumerable.Range(0, 40).ToList();

    private static string[] Ranked(IEnumerable<HostCandidate> hosts, SchedulerOptions? options = null, int seed = 0,
        SchedulingRequest? request = null) =>
        Names(HostSelection.Rank(hosts, request ?? new SchedulingRequest(Request), options ?? new SchedulerOptions(), new Random(seed)));

    [Fact]
    public void With_equal_free_ram_most_free_vcpus_ranks_first()
    {
        HostCandidate[] hosts = [Host("a", freeVcpus: 4), Host("b", freeVcpus: 12), Host("c", freeVcpus: 8)];
        foreach (var seed in Seeds)
            Assert.Equal(["b", "c", "a"], Ranked(hosts, seed: seed));
    }

    [Fact]
    public void Rank_returns_every_passing_host_and_only_those_best_first()
    {
        HostCandidate[] hosts =
        [
            Host("down", freeMemoryMb: 32768, isUp: false),
            Host("third", freeMemoryMb: 8192),
            Host("disabled", freeMemoryMb: 32768, isEnabled: false),
            Host("first", freeMemoryMb: 30000),
            Host("too-small", freeMemoryMb: 2048),
            Host("fourth", freeMemoryMb: 4096),
            Host("second", freeMemoryMb: 16384),
        ];
        foreach (var seed in Seeds)
            Assert.Equal(["first", "second", "third", "fourth"], Ranked(hosts, seed: seed));
    }

    [Fact]
    public void Rank_of_no_hosts_or_no_passing_host_is_empty()
    {
        Assert.Empty(Ranked([]));
        Assert.Empty(Ranked([Host("down", isUp: false), Host("off", isEnabled: false)]));
    }

    [Fact]
    public void A_single_passing_host_is_the_choice_even_though_every_weigher_sees_equal_values()
    {
        Assert.Equal(["only"], Ranked([Host("only"), Host("down", isUp: false)], new SchedulerOptions(HostSubsetSize: 3)));
    }

    // ---- normalisation -------------------------------------------------------------------------------

    [Fact]
    public void A_weigher_whose_values_are_all_equal_does_not_disturb_the_others()
    {
        // equal free RAM under a huge multiplier: it must add nothing (not NaN), so the CPU order stands
        HostCandidate[] hosts = [Host("a", freeVcpus: 4), Host("b", freeVcpus: 12), Host("c", freeVcpus: 8)];
        var options = new SchedulerOptions(RamWeightMultiplier: 1e9, CpuWeightMultiplier: 1, DiskWeightMultiplier: 0);
        foreach (var seed in Seeds)
            Assert.Equal(["b", "c", "a"], Ranked(hosts, options, seed));
    }

    [Fact]
    public void Weighers_are_normalised_so_the_multipliers_not_the_units_set_the_balance()
    {
        // RAM differs by 21808 MB, vcpus by 14: only the multipliers decide
        HostCandidate[] hosts = [Host("ram-rich", freeVcpus: 2, freeMemoryMb: 30000), Host("cpu-rich", freeVcpus: 16, freeMemoryMb: 8192)];
        foreach (var seed in Seeds)
        {
            Assert.Equal("ram-rich", Ranked(hosts, new SchedulerOptions(RamWeightMultiplier: 1.1, CpuWeightMultiplier: 1), seed)[0]);
            Assert.Equal("cpu-rich", Ranked(hosts, new SchedulerOptions(RamWeightMultiplier: 1, CpuWeightMultiplier: 1.1), seed)[0]);
        }
    }

    [Fact]
    public void Normalisation_is_linear_between_the_smallest_and_largest_value()
    {
        // RAM normalises to 0, 0.9, 1 and vcpus to 1, 0.2, 0: sums 1.0, 1.1, 1.0
        HostCandidate[] hosts =
        [
            Host("x", freeVcpus: 12, freeMemoryMb: 10000),
            Host("y", freeVcpus: 4, freeMemoryMb: 19000),
            Host("z", freeVcpus: 2, freeMemoryMb: 20000),
        ];
        var options = new SchedulerOptions(DiskWeightMultiplier: 0);
        foreach (var seed in Seeds)
            Assert.Equal("y", Ranked(hosts, options, seed)[0]);
    }

    [Fact]
    public void Normalisation_spans_only_the_hosts_that_pass_the_filters()
    {
        // Over the passing hosts RAM gives a 1, b 0 and vcpus a 0, b 1: a wins at 1.5 against 1. A down
        // host with far more RAM would squash a's RAM weight to almost nothing if it were counted.
        HostCandidate[] hosts =
        [
            Host("a", freeVcpus: 2, freeMemoryMb: 10000),
            Host("b", freeVcpus: 4, freeMemoryMb: 9000),
            new("down", new HostResources(64, 200000, 400), HostResources.None, IsUp: false, IsEnabled: true),
        ];
        var options = new SchedulerOptions(RamWeightMultiplier: 1.5, CpuWeightMultiplier: 1, DiskWeightMultiplier: 0);
        foreach (var seed in Seeds)
            Assert.Equal(["a", "b"], Ranked(hosts, options, seed));
    }

    [Fact]
    public void A_negative_ram_multiplier_packs_the_fullest_host_that_still_fits_first()
    {
        HostCandidate[] hosts =
        [
            Host("empty", freeMemoryMb: 32768),
            Host("too-full", freeMemoryMb: 2048),
            Host("nearly-full", freeMemoryMb: 4096),
            Host("half", freeMemoryMb: 16384),
        ];
        var packing = new SchedulerOptions(RamWeightMultiplier: -1, CpuWeightMultiplier: 0, DiskWeightMultiplier: 0);
        foreach (var seed in Seeds)
        {
            Assert.Equal(["nearly-full", "half", "empty"], Ranked(hosts, packing, seed));
            Assert.Equal(["empty", "half", "nearly-full"], Ranked(hosts, packing with { RamWeightMultiplier = 1 }, seed));
        }
    }

    [Fact]
    public void Recent_build_failures_sink_a_host_below_one_with_less_free_ram()
    {
        HostCandidate[] hosts =
        [
            Host("flaky", freeVcpus: 16, freeMemoryMb: 32768, freeDiskGb: 400) with { RecentBuildFailures = 1 },
            Host("small", freeVcpus: 2, freeMemoryMb: 4096, freeDiskGb: 40),
        ];
        foreach (var seed in Seeds)
        {
            Assert.Equal(["small", "flaky"], Ranked(hosts, seed: seed));
            // without the build-failure weigher the roomy host would win
            Assert.Equal(["flaky", "small"], Ranked(hosts, new SchedulerOptions(BuildFailureWeightMultiplier: 0), seed));
        }
    }

    [Fact]
    public void Fewer_recent_build_failures_rank_above_more()
    {
        HostCandidate[] hosts =
        [
            Host("three", freeMemoryMb: 30000) with { RecentBuildFailures = 3 },
            Host("one", freeMemoryMb: 20000) with { RecentBuildFailures = 1 },
            Host("none", freeMemoryMb: 8192),
        ];
        foreach (var seed in Seeds)
            Assert.Equal(["none", "one", "three"], Ranked(hosts, seed: seed));
    }

    // ---- randomness: ties and host subsets -----------------------------------------------------------

    private static readonly HostCandidate[] Distinct =
    [
        Host("h4", freeMemoryMb: 15000), Host("h1", freeMemoryMb: 30000), Host("h6", freeMemoryMb: 5000),
        Host("h2", freeMemoryMb: 25000), Host("h5", freeMemoryMb: 10000), Host("h3", freeMemoryMb: 20000),
    ];

    [Fact]
    public void Host_subset_size_one_is_deterministic_for_distinct_weights()
    {
        foreach (var seed in Seeds)
            Assert.Equal(["h1", "h2", "h3", "h4", "h5", "h6"], Ranked(Distinct, new SchedulerOptions(HostSubsetSize: 1), seed));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_host_subset_size_below_one_behaves_as_one(int subset)
    {
        foreach (var seed in Seeds)
            Assert.Equal("h1", Ranked(Distinct, new SchedulerOptions(HostSubsetSize: subset), seed)[0]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void With_host_subset_size_n_the_choice_is_always_among_the_n_best_and_each_of_them_is_chosen(int n)
    {
        var best = new[] { "h1", "h2", "h3", "h4", "h5", "h6" }.Take(n).ToHashSet();
        var chosen = new HashSet<string>();
        foreach (var seed in Seeds)
        {
            var ranked = Ranked(Distinct, new SchedulerOptions(HostSubsetSize: n), seed);
            Assert.Contains(ranked[0], best);
            // the choice moves to the front; no host is lost or repeated
            Assert.Equal(["h1", "h2", "h3", "h4", "h5", "h6"], ranked.Order(StringComparer.Ordinal));
            chosen.Add(ranked[0]);
        }
        Assert.Equal(best, chosen);
    }

    [Fact]
    public void A_host_subset_size_larger_than_the_passing_hosts_picks_among_all_of_them()
    {
        HostCandidate[] hosts = [Host("a", freeMemoryMb: 30000), Host("b", freeMemoryMb: 8192), Host("down", isUp: false)];
        var chosen = Seeds.Select(seed => Ranked(hosts, new SchedulerOptions(HostSubsetSize: 10), seed)).ToList();
        Assert.All(chosen, ranked => Assert.Equal(["a", "b"], ranked.Order(StringComparer.Ordinal)));
        Assert.Equal(["a", "b"], chosen.Select(r => r[0]).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Exact_ties_are_not_always_broken_the_same_way()
    {
        HostCandidate[] twins = [Host("twin-a"), Host("twin-b")];
        var firsts = Seeds.Select(seed => Ranked(twins, seed: seed)[0]).ToHashSet();
        Assert.Equal(new HashSet<string> { "twin-a", "twin-b" }, firsts);
    }

    [Fact]
    public void Exact_ties_are_broken_at_random_but_never_above_a_better_host()
    {
        HostCandidate[] hosts = [Host("twin-a"), Host("best", freeMemoryMb: 30000), Host("twin-b")];
        var seconds = new HashSet<string>();
        foreach (var seed in Seeds)
        {
            var ranked = Ranked(hosts, seed: seed);
            Assert.Equal("best", ranked[0]);
            seconds.Add(ranked[1]);
        }
        Assert.Equal(new HashSet<string> { "twin-a", "twin-b" }, seconds);
    }

    [Fact]
    public void The_same_seed_gives_the_same_ranking()
    {
        HostCandidate[] hosts = [Host("a"), Host("b"), Host("c"), Host("d")];
        foreach (var seed in Seeds)
            Assert.Equal(Ranked(hosts, new SchedulerOptions(HostSubsetSize: 2), seed), Ranked(hosts, new SchedulerOptions(HostSubsetSize: 2), seed));
    }
}
