using Nova.Domain.Hosts;
using Nova.Domain.Scheduling;

namespace Nova.Domain.Tests.Scheduling;

/// <summary>
/// Each weigher's direction (bigger raw weight is better before its multiplier), alone and through
/// Rank with every other multiplier at zero, and its multiplier read from SchedulerOptions.
/// </summary>
public class HostWeigherTests
{
    private static readonly SchedulingRequest Request = new(new HostResources(1, 512, 1));
    private static readonly SchedulerOptions Nothing = new(0, 0, 0, 0, 0);

    private static HostCandidate Host(string name, int freeVcpus = 8, int freeMemoryMb = 16384, int freeDiskGb = 200, int failures = 0) =>
        new(name, new HostResources(16, 32768, 400), new HostResources(16 - freeVcpus, 32768 - freeMemoryMb, 400 - freeDiskGb),
            true, true, RecentBuildFailures: failures);

    private static string[] Ranked(IEnumerable<HostCandidate> hosts, SchedulerOptions options, SchedulingRequest? request = null, int seed = 0) =>
        HostSelection.Rank(hosts, request ?? Request, options, new Random(seed)).Select(h => h.Name).ToArray();

    private static IEnumerable<int> Seeds => Enumerable.Range(0, 20);

    // ---- raw weights ---------------------------------------------------------------------------------

    [Fact]
    public void Ram_weigher_weighs_free_memory()
    {
        var weigher = new RamWeigher();
        Assert.Equal(30000, weigher.Weigh(Host("h", freeMemoryMb: 30000), Request));
        Assert.True(weigher.Weigh(Host("more", freeMemoryMb: 20000), Request) > weigher.Weigh(Host("less", freeMemoryMb: 10000), Request));
    }

    [Fact]
    public void Cpu_weigher_weighs_free_vcpus()
    {
        var weigher = new CpuWeigher();
        Assert.Equal(12, weigher.Weigh(Host("h", freeVcpus: 12), Request));
        Assert.True(weigher.Weigh(Host("more", freeVcpus: 9), Request) > weigher.Weigh(Host("less", freeVcpus: 3), Request));
    }

    [Fact]
    public void Disk_weigher_weighs_free_disk()
    {
        var weigher = new DiskWeigher();
        Assert.Equal(150, weigher.Weigh(Host("h", freeDiskGb: 150), Request));
        Assert.True(weigher.Weigh(Host("more", freeDiskGb: 300), Request) > weigher.Weigh(Host("less", freeDiskGb: 30), Request));
    }

    [Fact]
    public void Build_failure_weigher_weighs_more_failures_lower()
    {
        var weigher = new BuildFailureWeigher();
        Assert.True(weigher.Weigh(Host("none"), Request) > weigher.Weigh(Host("one", failures: 1), Request));
        Assert.True(weigher.Weigh(Host("one", failures: 1), Request) > weigher.Weigh(Host("five", failures: 5), Request));
    }

    [Fact]
    public void Soft_affinity_weighs_member_hosts_higher()
    {
        var request = Request with { Group = new GroupPlacement(GroupPlacement.SoftAffinity, new HashSet<string> { "member" }) };
        var weigher = new ServerGroupSoftAffinityWeigher();
        Assert.True(weigher.Weigh(Host("member"), request) > weigher.Weigh(Host("other"), request));
    }

    [Fact]
    public void Soft_anti_affinity_weighs_member_hosts_lower()
    {
        var request = Request with { Group = new GroupPlacement(GroupPlacement.SoftAntiAffinity, new HashSet<string> { "member" }) };
        var weigher = new ServerGroupSoftAffinityWeigher();
        Assert.True(weigher.Weigh(Host("member"), request) < weigher.Weigh(Host("other"), request));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(GroupPlacement.Affinity)]
    [InlineData(GroupPlacement.AntiAffinity)]
    public void Soft_affinity_weigher_gives_every_host_the_same_weight_without_a_soft_policy(string? policy)
    {
        var request = Request with { Group = policy is null ? null : new GroupPlacement(policy, new HashSet<string> { "member" }) };
        var weigher = new ServerGroupSoftAffinityWeigher();
        Assert.Equal(weigher.Weigh(Host("member"), request), weigher.Weigh(Host("other"), request));
    }

    [Fact]
    public void Each_weigher_reads_its_own_multiplier()
    {
        var options = new SchedulerOptions(RamWeightMultiplier: 1.5, CpuWeightMultiplier: 2.5, DiskWeightMultiplier: 3.5,
            BuildFailureWeightMultiplier: 4.5, SoftAffinityWeightMultiplier: 5.5);
        Assert.Equal(
            [1.5, 2.5, 3.5, 4.5, 5.5],
            new IHostWeigher[] { new RamWeigher(), new CpuWeigher(), new DiskWeigher(), new BuildFailureWeigher(), new ServerGroupSoftAffinityWeigher() }
                .Select(w => w.Multiplier(options)));
    }

    [Fact]
    public void Rank_uses_every_weigher()
    {
        Assert.Equal(
            [typeof(BuildFailureWeigher), typeof(CpuWeigher), typeof(DiskWeigher), typeof(RamWeigher), typeof(ServerGroupSoftAffinityWeigher)],
            HostSelection.Weighers.Select(w => w.GetType()).OrderBy(t => t.Name, StringComparer.Ordinal));
    }

    // ---- each weigher alone through Rank -----------------------------------------------------------

    public static TheoryData<string, SchedulerOptions> PositiveDirections => new()
    {
        { "ram", Nothing with { RamWeightMultiplier = 1 } },
        { "cpu", Nothing with { CpuWeightMultiplier = 1 } },
        { "disk", Nothing with { DiskWeightMultiplier = 1 } },
    };

    [Theory]
    [MemberData(nameof(PositiveDirections))]
    public void A_positive_multiplier_prefers_the_host_with_most_of_that_resource_free(string resource, SchedulerOptions options)
    {
        // each host is richest in one resource and poorest in another
        HostCandidate[] hosts =
        [
            Host("ram", freeVcpus: 2, freeMemoryMb: 30000, freeDiskGb: 100),
            Host("cpu", freeVcpus: 16, freeMemoryMb: 4096, freeDiskGb: 200),
            Host("disk", freeVcpus: 8, freeMemoryMb: 8192, freeDiskGb: 400),
        ];
        foreach (var seed in Seeds)
            Assert.Equal(resource, Ranked(hosts, options, seed: seed)[0]);
    }

    [Theory]
    [MemberData(nameof(PositiveDirections))]
    public void A_negative_multiplier_prefers_the_host_with_least_of_that_resource_free(string resource, SchedulerOptions options)
    {
        _ = resource;
        var negated = options with
        {
            RamWeightMultiplier = -options.RamWeightMultiplier,
            CpuWeightMultiplier = -options.CpuWeightMultiplier,
            DiskWeightMultiplier = -options.DiskWeightMultiplier,
        };
        HostCandidate[] hosts =
        [
            Host("rich", freeVcpus: 16, freeMemoryMb: 30000, freeDiskGb: 400),
            Host("middle", freeVcpus: 8, freeMemoryMb: 16384, freeDiskGb: 200),
            Host("poor", freeVcpus: 2, freeMemoryMb: 4096, freeDiskGb: 40),
        ];
        Assert.Equal(["rich", "middle", "poor"], Ranked(hosts, options));
        Assert.Equal(["poor", "middle", "rich"], Ranked(hosts, negated));
    }

    [Fact]
    public void The_build_failure_weigher_alone_ranks_by_fewest_recent_failures()
    {
        HostCandidate[] hosts = [Host("two", failures: 2), Host("none"), Host("one", failures: 1)];
        foreach (var seed in Seeds)
            Assert.Equal(["none", "one", "two"], Ranked(hosts, Nothing with { BuildFailureWeightMultiplier = 1 }, seed: seed));
    }

    [Fact]
    public void The_soft_affinity_weigher_alone_prefers_the_members_host()
    {
        var request = Request with { Group = new GroupPlacement(GroupPlacement.SoftAffinity, new HashSet<string> { "member" }) };
        HostCandidate[] hosts = [Host("other-1"), Host("member"), Host("other-2")];
        foreach (var seed in Seeds)
            Assert.Equal("member", Ranked(hosts, Nothing with { SoftAffinityWeightMultiplier = 1 }, request, seed)[0]);
    }

    [Fact]
    public void The_soft_anti_affinity_weigher_alone_puts_the_members_host_last()
    {
        var request = Request with { Group = new GroupPlacement(GroupPlacement.SoftAntiAffinity, new HashSet<string> { "member" }) };
        HostCandidate[] hosts = [Host("member"), Host("other-1"), Host("other-2")];
        foreach (var seed in Seeds)
            Assert.Equal("member", Ranked(hosts, Nothing with { SoftAffinityWeightMultiplier = 1 }, request, seed)[^1]);
    }

    [Fact]
    public void Soft_anti_affinity_keeps_the_members_host_as_a_last_resort_rather_than_filtering_it()
    {
        var request = Request with { Group = new GroupPlacement(GroupPlacement.SoftAntiAffinity, new HashSet<string> { "member" }) };
        Assert.Equal(["member"], Ranked([Host("member")], new SchedulerOptions(), request));
    }

    [Fact]
    public void Soft_affinity_outweighs_free_ram_when_its_multiplier_is_larger()
    {
        var request = Request with { Group = new GroupPlacement(GroupPlacement.SoftAffinity, new HashSet<string> { "member" }) };
        HostCandidate[] hosts = [Host("roomy", freeMemoryMb: 30000), Host("member", freeMemoryMb: 8192)];
        var ramOnly = Nothing with { RamWeightMultiplier = 1 };
        Assert.Equal(["roomy", "member"], Ranked(hosts, ramOnly with { SoftAffinityWeightMultiplier = 0.5 }, request));
        Assert.Equal(["member", "roomy"], Ranked(hosts, ramOnly with { SoftAffinityWeightMultiplier = 2 }, request));
    }
}
