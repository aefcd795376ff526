namespace Nova.Domain.Hosts;

public interface IComputeHostEvent
{
    Guid HostId { get; }
}

/// <summary>
/// A host's first report. <see cref="Inventory"/> is what the hypervisor has; <see cref="Capacity"/>
/// is what may be claimed: (inventory − reserved) × allocation ratio, as placement computes it.
/// </summary>
public sealed record ComputeHostRegistered(
    Guid HostId, string Name, HostResources Inventory, HostResources Capacity, string HypervisorType, string HypervisorVersion)
    : IComputeHostEvent;

public sealed record ComputeHostCapacityChanged(Guid HostId, HostResources Inventory, HostResources Capacity) : IComputeHostEvent;

public static class ComputeHostEventTypes
{
    public static readonly IReadOnlyList<Type> All =
        [typeof(ComputeHostRegistered), typeof(ComputeHostCapacityChanged), typeof(ResourcesClaimed), typeof(ClaimReleased)];
}

/// <summary>The scheduler took resources on this host for a server.</summary>
public sealed record ResourcesClaimed(Guid HostId, Guid ServerId, HostResources Resources) : IComputeHostEvent;

/// <summary>The server's stay on this host ended (build failure, delete): its resources are free again.</summary>
public sealed record ClaimReleased(Guid HostId, Guid ServerId, HostResources Resources) : IComputeHostEvent;

/// <summary>
/// A compute host's capacity and the claims against it: the authority the scheduler appends to
/// with optimistic concurrency, so two boots can never both take a host's last resources.
/// </summary>
public sealed record ComputeHost(
    Guid Id, string Name, HostResources Inventory, HostResources Capacity, string HypervisorType, string HypervisorVersion,
    IReadOnlyDictionary<Guid, HostResources> Claims)
{
    public HostResources Used => Claims.Values.Aggregate(HostResources.None, (sum, r) => sum.Add(r));
    public HostResources Free => Capacity.Subtract(Used);

    public static ComputeHost Evolve(ComputeHost? state, object @event) => @event switch
    {
        ComputeHostRegistered e => new ComputeHost(e.HostId, e.Name, e.Inventory, e.Capacity, e.HypervisorType,
            e.HypervisorVersion, state?.Claims ?? new Dictionary<Guid, HostResources>()),
        ComputeHostCapacityChanged e => Require(state) with { Inventory = e.Inventory, Capacity = e.Capacity },
        ResourcesClaimed e => Require(state) with
        {
            Claims = new Dictionary<Guid, HostResources>(Require(state).Claims) { [e.ServerId] = e.Resources },
        },
        ClaimReleased e => Require(state) with
        {
            Claims = Require(state).Claims.Where(c => c.Key != e.ServerId).ToDictionary(c => c.Key, c => c.Value),
        },
        _ => Require(state),
    };

    private static ComputeHost Require(ComputeHost? state) =>
        state ?? throw new InvalidOperationException("host event before ComputeHostRegistered");
}

/// <summary>A host's name maps to one stream id, the same on every node (a name-based UUID, RFC 4122 v5).</summary>
public static class ComputeHostId
{
    public static Guid From(string hostName) => NameBasedId.From("nova-host:" + hostName);
}

public abstract record ComputeHostCommand
{
    public sealed record Report(string Name, HostResources Inventory, HostResources Capacity, string HypervisorType, string HypervisorVersion)
        : ComputeHostCommand;
    public sealed record Claim(Guid ServerId, HostResources Resources) : ComputeHostCommand;
    public sealed record Release(Guid ServerId) : ComputeHostCommand;
}

/// <summary>The request does not fit on the host any more (another claim got there first).</summary>
public sealed class InsufficientHostResources(string host) : Exception($"Host {host} has not enough free resources");

public static class ComputeHostDecider
{
    public static IReadOnlyList<object> Decide(ComputeHostCommand command, ComputeHost? state) => command switch
    {
        ComputeHostCommand.Report r when state is null =>
            [new ComputeHostRegistered(ComputeHostId.From(r.Name), r.Name, r.Inventory, r.Capacity, r.HypervisorType, r.HypervisorVersion)],
        ComputeHostCommand.Report r when state.Capacity != r.Capacity || state.Inventory != r.Inventory =>
            [new ComputeHostCapacityChanged(state.Id, r.Inventory, r.Capacity)],
        ComputeHostCommand.Report => [],
        ComputeHostCommand.Claim c when c.Resources.Vcpus < 0 || c.Resources.MemoryMb < 0 || c.Resources.DiskGb < 0 =>
            throw new ArgumentOutOfRangeException(nameof(command), "a claim cannot be negative"),
        ComputeHostCommand.Claim when state is null => throw new InsufficientHostResources("(unregistered)"),
        ComputeHostCommand.Claim c when state.Claims.ContainsKey(c.ServerId) => [], // redelivered: already claimed
        ComputeHostCommand.Claim c when !state.Free.Fits(c.Resources) => throw new InsufficientHostResources(state.Name),
        ComputeHostCommand.Claim c => [new ResourcesClaimed(state.Id, c.ServerId, c.Resources)],
        ComputeHostCommand.Release r when state is not null && state.Claims.TryGetValue(r.ServerId, out var held) =>
            [new ClaimReleased(state.Id, r.ServerId, held)],
        ComputeHostCommand.Release => [], // released exactly once: a second release finds nothing
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };
}
