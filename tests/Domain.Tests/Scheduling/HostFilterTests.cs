using Nova.Domain.Hosts;
using Nova.Domain.Scheduling;

namespace Nova.Domain.Tests.Scheduling;

/// <summary>Nova's filters one by one (passes and fails), then all of them together inside Rank.</summary>
public class HostFilterTests
{
    private static readonly HostResources Request = new(2, 4096, 40);

    private static HostCandidate Host(string name, bool isUp = true, bool isEnabled = true, string az = "nova",
        string hypervisor = "QEMU", int freeVcpus = 8, int freeMemoryMb = 16384, int freeDiskGb = 200) =>
        new(name, new HostResources(16, 32768, 400), new HostResources(16 - freeVcpus, 32768 - freeMemoryMb, 400 - freeDiskGb),
            isUp, isEnabled, az, hypervisor);

    private static SchedulingRequest For(string? az = null, IReadOnlySet<string>? excluded = null, GroupPlacement? group = null,
        string? hypervisor = null) => new(Request, az, excluded, group, hypervisor);

    private static GroupPlacement Group(string policy, params string[] memberHosts) => new(policy, memberHosts.ToHashSet());

    // ---- ComputeFilter -----------------------------------------------------------------------------

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(false, true, false)]
    [InlineData(true, false, false)]
    [InlineData(false, false, false)]
    public void Compute_filter_passes_only_a_host_that_is_up_and_enabled(bool isUp, bool isEnabled, bool passes)
    {
        Assert.Equal(passes, new ComputeFilter().Passes(Host("h", isUp, isEnabled), For()));
    }

    // ---- ResourceFilter ----------------------------------------------------------------------------

    [Theory]
    [InlineData(8, 16384, 200, true)]
    [InlineData(2, 4096, 40, true)] // exactly the request
    [InlineData(1, 16384, 200, false)]
    [InlineData(8, 4095, 200, false)]
    [InlineData(8, 16384, 39, false)]
    [InlineData(0, 0, 0, false)]
    public void Resource_filter_passes_a_host_whose_free_resources_fit_in_every_resource(int vcpus, int memoryMb, int diskGb, bool passes)
    {
        Assert.Equal(passes, new ResourceFilter().Passes(Host("h", freeVcpus: vcpus, freeMemoryMb: memoryMb, freeDiskGb: diskGb), For()));
    }

    [Fact]
    public void Resource_filter_counts_what_is_already_used_not_the_capacity()
    {
        var busy = new HostCandidate("busy", new HostResources(16, 32768, 400), new HostResources(15, 1000, 10), true, true);
        Assert.False(new ResourceFilter().Passes(busy, For()));
        Assert.True(new ResourceFilter().Passes(busy with { Used = HostResources.None }, For()));
    }

    // ---- AvailabilityZoneFilter --------------------------------------------------------------------

    [Theory]
    [InlineData("nova")]
    [InlineData("az1")]
    [InlineData("")]
    public void Availability_zone_filter_without_a_requested_zone_passes_a_host_in_any_zone(string hostZone)
    {
        Assert.True(new AvailabilityZoneFilter().Passes(Host("h", az: hostZone), For(az: null)));
    }

    [Theory]
    [InlineData("az1", "az1", true)]
    [InlineData("az1", "nova", false)]
    [InlineData("nova", "az1", false)]
    [InlineData("az1", "az10", false)]
    public void Availability_zone_filter_with_a_requested_zone_passes_only_hosts_in_that_zone(string requested, string hostZone, bool passes)
    {
        Assert.Equal(passes, new AvailabilityZoneFilter().Passes(Host("h", az: hostZone), For(az: requested)));
    }

    // ---- RetryFilter ---------------------------------------------------------------------------------

    [Fact]
    public void Retry_filter_without_tried_hosts_passes_every_host()
    {
        Assert.True(new RetryFilter().Passes(Host("compute-1"), For(excluded: null)));
        Assert.True(new RetryFilter().Passes(Host("compute-1"), For(excluded: new HashSet<string>())));
    }

    [Fact]
    public void Retry_filter_excludes_the_hosts_already_tried_and_passes_the_others()
    {
        var tried = new HashSet<string> { "compute-1", "compute-2" };
        Assert.False(new RetryFilter().Passes(Host("compute-1"), For(excluded: tried)));
        Assert.False(new RetryFilter().Passes(Host("compute-2"), For(excluded: tried)));
        Assert.True(new RetryFilter().Passes(Host("compute-3"), For(excluded: tried)));
    }

    // ---- ImagePropertiesFilter -----------------------------------------------------------------------

    [Theory]
    [InlineData("QEMU", "qemu")]
    [InlineData("qemu", "QEMU")]
    [InlineData("QEMU", "QEMU")]
    [InlineData("fake", "FaKe")]
    public void Image_hypervisor_type_matches_the_hosts_without_regard_to_case(string hostType, string imageType)
    {
        Assert.True(new ImagePropertiesFilter().Passes(Host("h", hypervisor: hostType), For(hypervisor: imageType)));
    }

    [Theory]
    [InlineData("QEMU", "kvm")]
    [InlineData("fake", "qemu")]
    [InlineData("QEMU", "qemu2")]
    public void Image_hypervisor_type_that_differs_from_the_hosts_fails(string hostType, string imageType)
    {
        Assert.False(new ImagePropertiesFilter().Passes(Host("h", hypervisor: hostType), For(hypervisor: imageType)));
    }

    [Theory]
    [InlineData("QEMU")]
    [InlineData("fake")]
    public void An_image_without_a_hypervisor_type_passes_any_host(string hostType)
    {
        Assert.True(new ImagePropertiesFilter().Passes(Host("h", hypervisor: hostType), For(hypervisor: null)));
    }

    // ---- ServerGroupAffinityFilter -------------------------------------------------------------------

    [Theory]
    [InlineData("compute-1")]
    [InlineData("compute-2")]
    public void Affinity_with_no_members_yet_passes_any_host(string host)
    {
        Assert.True(new ServerGroupAffinityFilter().Passes(Host(host), For(group: Group(GroupPlacement.Affinity))));
    }

    [Fact]
    public void Affinity_passes_only_the_hosts_the_members_run_on()
    {
        var group = Group(GroupPlacement.Affinity, "compute-1");
        Assert.True(new ServerGroupAffinityFilter().Passes(Host("compute-1"), For(group: group)));
        Assert.False(new ServerGroupAffinityFilter().Passes(Host("compute-2"), For(group: group)));
    }

    [Theory]
    [InlineData(GroupPlacement.AntiAffinity)]
    [InlineData(GroupPlacement.SoftAffinity)]
    [InlineData(GroupPlacement.SoftAntiAffinity)]
    public void Affinity_filter_ignores_other_policies(string policy)
    {
        Assert.True(new ServerGroupAffinityFilter().Passes(Host("compute-2"), For(group: Group(policy, "compute-1"))));
    }

    [Fact]
    public void Affinity_filter_without_a_group_passes()
    {
        Assert.True(new ServerGroupAffinityFilter().Passes(Host("compute-2"), For(group: null)));
    }

    // ---- ServerGroupAntiAffinityFilter ---------------------------------------------------------------

    [Fact]
    public void Anti_affinity_excludes_the_hosts_members_run_on()
    {
        var group = Group(GroupPlacement.AntiAffinity, "compute-1", "compute-2");
        Assert.False(new ServerGroupAntiAffinityFilter().Passes(Host("compute-1"), For(group: group)));
        Assert.False(new ServerGroupAntiAffinityFilter().Passes(Host("compute-2"), For(group: group)));
        Assert.True(new ServerGroupAntiAffinityFilter().Passes(Host("compute-3"), For(group: group)));
    }

    [Fact]
    public void Anti_affinity_with_no_members_yet_passes_any_host()
    {
        Assert.True(new ServerGroupAntiAffinityFilter().Passes(Host("compute-1"), For(group: Group(GroupPlacement.AntiAffinity))));
    }

    [Theory]
    [InlineData(GroupPlacement.Affinity)]
    [InlineData(GroupPlacement.SoftAffinity)]
    [InlineData(GroupPlacement.SoftAntiAffinity)]
    public void Anti_affinity_filter_ignores_other_policies(string policy)
    {
        // soft anti-affinity is a preference (a weigher), never an exclusion
        Assert.True(new ServerGroupAntiAffinityFilter().Passes(Host("compute-1"), For(group: Group(policy, "compute-1"))));
    }

    // ---- all filters inside Rank ---------------------------------------------------------------------

    /// <summary>A host that fails exactly the named filter, and a request that the host "good" satisfies entirely.</summary>
    private static (HostCandidate Bad, SchedulingRequest Request) FailingOnly(string filter) => filter switch
    {
        "ComputeFilter" => (Host("bad", isUp: false), For()),
        "RetryFilter" => (Host("bad"), For(excluded: new HashSet<string> { "bad" })),
        "AvailabilityZoneFilter" => (Host("bad", az: "az2"), For(az: "nova")),
        "ResourceFilter" => (Host("bad", freeMemoryMb: 1024), For()),
        "ImagePropertiesFilter" => (Host("bad", hypervisor: "fake"), For(hypervisor: "qemu")),
        "ServerGroupAffinityFilter" => (Host("bad"), For(group: Group(GroupPlacement.Affinity, "good"))),
        "ServerGroupAntiAffinityFilter" => (Host("bad"), For(group: Group(GroupPlacement.AntiAffinity, "bad"))),
        _ => throw new ArgumentOutOfRangeException(nameof(filter)),
    };

    [Theory]
    [InlineData("ComputeFilter")]
    [InlineData("RetryFilter")]
    [InlineData("AvailabilityZoneFilter")]
    [InlineData("ResourceFilter")]
    [InlineData("ImagePropertiesFilter")]
    [InlineData("ServerGroupAffinityFilter")]
    [InlineData("ServerGroupAntiAffinityFilter")]
    public void Rank_drops_a_host_that_fails_any_one_filter(string filter)
    {
        var (bad, request) = FailingOnly(filter);
        var good = Host("good", freeMemoryMb: 8192);
        // the case is what it claims: only the named filter says no
        Assert.Equal([filter], HostSelection.Filters.Where(f => !f.Passes(bad, request)).Select(f => f.Name));
        Assert.All(HostSelection.Filters, f => Assert.True(f.Passes(good, request), f.Name));

        Assert.Equal(["good"], HostSelection.Rank([bad, good], request, new SchedulerOptions(), new Random(1)).Select(h => h.Name));
    }

    [Fact]
    public void Every_filter_is_applied_by_rank()
    {
        Assert.Equal(
            ["AvailabilityZoneFilter", "ComputeFilter", "ImagePropertiesFilter", "ResourceFilter", "RetryFilter",
             "ServerGroupAffinityFilter", "ServerGroupAntiAffinityFilter"],
            HostSelection.Filters.Select(f => f.Name).Order(StringComparer.Ordinal));
    }
}
