using Nova.Domain.Hosts;

namespace Nova.Domain.Scheduling;

/// <summary>What the scheduler knows of a host when it chooses.</summary>
public sealed record HostCandidate(
    string Name, HostResources Capacity, HostResources Used, bool IsUp, bool IsEnabled,
    string AvailabilityZone = "nova", string HypervisorType = "fake", int RecentBuildFailures = 0)
{
    public HostResources Free => Capacity.Subtract(Used);
}

/// <summary>A server group's policy and where its members already run.</summary>
public sealed record GroupPlacement(string Policy, IReadOnlySet<string> MemberHosts)
{
    public const string Affinity = "affinity";
    public const string AntiAffinity = "anti-affinity";
    public const string SoftAffinity = "soft-affinity";
    public const string SoftAntiAffinity = "soft-anti-affinity";
}

/// <summary>One server to place.</summary>
public sealed record SchedulingRequest(
    HostResources Resources,
    string? AvailabilityZone = null,
    IReadOnlySet<string>? ExcludedHosts = null,
    GroupPlacement? Group = null,
    string? RequiredHypervisorType = null);

/// <summary>
/// Section <c>Nova:Scheduler</c>: Nova's weigher multipliers (a negative RAM multiplier packs
/// instead of spreading) and how many of the best hosts the choice is random among; <c>AllowResizeToSameHost</c> is
/// Nova's allow_resize_to_same_host (false: a resize goes to another host; a cold migration always does).
/// </summary>
public sealed record SchedulerOptions(
    double RamWeightMultiplier = 1.0,
    double CpuWeightMultiplier = 1.0,
    double DiskWeightMultiplier = 1.0,
    double BuildFailureWeightMultiplier = 1_000_000.0,
    double SoftAffinityWeightMultiplier = 1.0,
    int HostSubsetSize = 1,
    int Alternates = 2,
    bool AllowResizeToSameHost = false);

public interface IHostFilter
{
    string Name { get; }
    bool Passes(HostCandidate host, SchedulingRequest request);
}

public interface IHostWeigher
{
    double Multiplier(SchedulerOptions options);
    /// <summary>The raw weight: bigger is better before the multiplier.</summary>
    double Weigh(HostCandidate host, SchedulingRequest request);
}

/// <summary>Nova's ComputeFilter: the service is up and enabled.</summary>
public sealed class ComputeFilter : IHostFilter
{
    public string Name => "ComputeFilter";
    public bool Passes(HostCandidate host, SchedulingRequest request) => host.IsUp && host.IsEnabled;
}

/// <summary>VCPU, MEMORY_MB and DISK_GB fit in what is left after allocation ratios (placement's job in Nova).</summary>
public sealed class ResourceFilter : IHostFilter
{
    public string Name => "ResourceFilter";
    public bool Passes(HostCandidate host, SchedulingRequest request) => host.Free.Fits(request.Resources);
}

public sealed class AvailabilityZoneFilter : IHostFilter
{
    public string Name => "AvailabilityZoneFilter";
    public bool Passes(HostCandidate host, SchedulingRequest request) =>
        request.AvailabilityZone is null || request.AvailabilityZone == host.AvailabilityZone;
}

/// <summary>Hosts a build already failed on are not tried again (Nova's retry bookkeeping).</summary>
public sealed class RetryFilter : IHostFilter
{
    public string Name => "RetryFilter";
    public bool Passes(HostCandidate host, SchedulingRequest request) => request.ExcludedHosts?.Contains(host.Name) != true;
}

public sealed class ServerGroupAffinityFilter : IHostFilter
{
    public string Name => "ServerGroupAffinityFilter";
    public bool Passes(HostCandidate host, SchedulingRequest request) =>
        request.Group is not { Policy: GroupPlacement.Affinity } group
        || group.MemberHosts.Count == 0 || group.MemberHosts.Contains(host.Name);
}

public sealed class ServerGroupAntiAffinityFilter : IHostFilter
{
    public string Name => "ServerGroupAntiAffinityFilter";
    public bool Passes(HostCandidate host, SchedulingRequest request) =>
        request.Group is not { Policy: GroupPlacement.AntiAffinity } group || !group.MemberHosts.Contains(host.Name);
}

/// <summary>Nova's ImagePropertiesFilter, for the property images here can carry: hypervisor_type.</summary>
public sealed class ImagePropertiesFilter : IHostFilter
{
    public string Name => "ImagePropertiesFilter";
    public bool Passes(HostCandidate host, SchedulingRequest request) =>
        request.RequiredHypervisorType is null
        || string.Equals(request.RequiredHypervisorType, host.HypervisorType, StringComparison.OrdinalIgnoreCase);
}

public sealed class RamWeigher : IHostWeigher
{
    public double Multiplier(SchedulerOptions o) => o.RamWeightMultiplier;
    public double Weigh(HostCandidate host, SchedulingRequest request) => host.Free.MemoryMb;
}

public sealed class CpuWeigher : IHostWeigher
{
    public double Multiplier(SchedulerOptions o) => o.CpuWeightMultiplier;
    public double Weigh(HostCandidate host, SchedulingRequest request) => host.Free.Vcpus;
}

public sealed class DiskWeigher : IHostWeigher
{
    public double Multiplier(SchedulerOptions o) => o.DiskWeightMultiplier;
    public double Weigh(HostCandidate host, SchedulingRequest request) => host.Free.DiskGb;
}

/// <summary>Hosts whose recent builds failed sink to the bottom (Nova's BuildFailureWeigher).</summary>
public sealed class BuildFailureWeigher : IHostWeigher
{
    public double Multiplier(SchedulerOptions o) => o.BuildFailureWeightMultiplier;
    public double Weigh(HostCandidate host, SchedulingRequest request) => -host.RecentBuildFailures;
}

/// <summary>Soft (anti-)affinity: prefer hosts with (without) the group's members.</summary>
public sealed class ServerGroupSoftAffinityWeigher : IHostWeigher
{
    public double Multiplier(SchedulerOptions o) => o.SoftAffinityWeightMultiplier;
    public double Weigh(HostCandidate host, SchedulingRequest request) => request.Group switch
    {
        { Policy: GroupPlacement.SoftAffinity } g => g.MemberHosts.Contains(host.Name) ? 1 : 0,
        { Policy: GroupPlacement.SoftAntiAffinity } g => g.MemberHosts.Contains(host.Name) ? 0 : 1,
        _ => 0,
    };
}

/// <summary>
/// Nova's filter scheduler: filter, weigh (each weigher normalised to 0..1 across the hosts, then
/// multiplied), order best first, and pick at random among the best <c>HostSubsetSize</c>. The
/// result is a preference: the claim on the host's stream is the authority.
/// </summary>
public static class HostSelection
{
    public static readonly IReadOnlyList<IHostFilter> Filters =
    [
        new ComputeFilter(), new RetryFilter(), new AvailabilityZoneFilter(), new ResourceFilter(),
        new ImagePropertiesFilter(), new ServerGroupAffinityFilter(), new ServerGroupAntiAffinityFilter(),
    ];

    public static readonly IReadOnlyList<IHostWeigher> Weighers =
        [new RamWeigher(), new CpuWeigher(), new DiskWeigher(), new BuildFailureWeigher(), new ServerGroupSoftAffinityWeigher()];

    /// <summary>Hosts that pass every filter, best first; the first is the choice, the next ones its alternates.</summary>
    public static IReadOnlyList<HostCandidate> Rank(
        IEnumerable<HostCandidate> hosts, SchedulingRequest request, SchedulerOptions? options = null, Random? random = null)
    {
        options ??= new SchedulerOptions();
        random ??= Random.Shared;
        var passing = hosts.Where(h => Filters.All(f => f.Passes(h, request))).ToList();
        if (passing.Count == 0) return passing;

        var weights = new double[passing.Count];
        foreach (var weigher in Weighers)
        {
            var multiplier = weigher.Multiplier(options);
            if (multiplier == 0) continue;
            var raw = passing.Select(h => weigher.Weigh(h, request)).ToArray();
            double min = raw.Min(), max = raw.Max();
            for (var i = 0; i < raw.Length; i++)
                weights[i] += multiplier * (max > min ? (raw[i] - min) / (max - min) : 0);
        }

        // Shuffle before a stable sort: exact ties are broken at random, not by name.
        var order = Enumerable.Range(0, passing.Count).OrderBy(_ => random.Next()).ToList();
        var ranked = order.OrderByDescending(i => weights[i]).Select(i => passing[i]).ToList();
        var subset = Math.Clamp(options.HostSubsetSize, 1, ranked.Count);
        if (subset > 1)
        {
            // The chosen host goes first; the others keep their order as alternates.
            var chosen = ranked[random.Next(subset)];
            ranked.Remove(chosen);
            ranked.Insert(0, chosen);
        }
        return ranked;
    }

    /// <summary>The spine's simple form: resources only.</summary>
    public static IReadOnlyList<HostCandidate> Rank(IEnumerable<HostCandidate> hosts, HostResources request) =>
        Rank(hosts, new SchedulingRequest(request), new SchedulerOptions(CpuWeightMultiplier: 0, DiskWeightMultiplier: 0),
            new Random(0));
}
