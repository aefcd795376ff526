using Nova.Domain.Hosts;

namespace Nova.Domain.Scheduling;

/// <summary>What the scheduler knows of a host when it chooses.</summary>
public sealed record HostCandidate(string Name, HostResources Capacity, HostResources Used, bool IsUp, bool IsEnabled)
{
    public HostResources Free => Capacity.Subtract(Used);
}

/// <summary>
/// Nova's filter scheduler reduced to what the spine needs: ComputeFilter (up and enabled),
/// a resource filter, and the RAM weigher (spread: most free RAM first). The result is a hint:
/// the claim on the host's stream is the authority.
/// </summary>
public static class HostSelection
{
    public static IReadOnlyList<HostCandidate> Rank(IEnumerable<HostCandidate> hosts, HostResources request) =>
        hosts.Where(h => h.IsUp && h.IsEnabled && h.Free.Fits(request))
            .OrderByDescending(h => h.Free.MemoryMb)
            .ThenByDescending(h => h.Free.Vcpus)
            .ThenBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
}
