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
    Guid HostId, string Name, HostResources Inventory, HostResources Capacity, string HypervisorType,
    string HypervisorVersion, string AvailabilityZone) : IComputeHostEvent;

/// <summary>The host now reports another inventory, capacity or availability zone.</summary>
public sealed record ComputeHostReconfigured(Guid HostId, HostResources Inventory, HostResources Capacity, string AvailabilityZone)
    : IComputeHostEvent;

/// <summary>The scheduler took resources on this host for a server.</summary>
public sealed record ResourcesClaimed(Guid HostId, Guid ServerId, HostResources Resources) : IComputeHostEvent;

/// <summary>
/// The server's stay on this host ended (build failure, reschedule, delete): its resources are free
/// again. <see cref="BuildFailed"/> counts against the host in the build-failure weigher.
/// </summary>
public sealed record ClaimReleased(Guid HostId, Guid ServerId, HostResources Resources, bool BuildFailed = false) : IComputeHostEvent;

/// <summary>
/// A server's claim on this host changed size without leaving it: a resize to the same host holds old and new flavor
/// at once, then the flavor it keeps after confirm or revert.
/// </summary>
public sealed record ClaimResized(Guid HostId, Guid ServerId, HostResources Resources) : IComputeHostEvent;

/// <summary>A build succeeded on a host that had recent failures: the failure weigher forgets them (as Nova does).</summary>
public sealed record BuildFailuresCleared(Guid HostId) : IComputeHostEvent;

public sealed record ComputeServiceDisabled(Guid HostId, string? Reason) : IComputeHostEvent;

public sealed record ComputeServiceEnabled(Guid HostId) : IComputeHostEvent;

/// <summary>An operator declared the host down (or up again) without waiting for the heartbeat to lapse.</summary>
public sealed record ComputeServiceForcedDown(Guid HostId, bool ForcedDown) : IComputeHostEvent;

/// <summary>An operator removed a dead host. A later report registers it anew.</summary>
public sealed record ComputeServiceDeleted(Guid HostId) : IComputeHostEvent;

/// <summary>
/// The host joined or left a host aggregate that names an availability zone: <paramref name="Zone"/> overrides the
/// zone the host reports; null returns it to that zone (Nova: an aggregate's zone wins over the default).
/// </summary>
public sealed record ComputeHostZoneAssigned(Guid HostId, string? Zone) : IComputeHostEvent;

public static class ComputeHostEventTypes
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(ComputeHostRegistered), typeof(ComputeHostReconfigured), typeof(ResourcesClaimed), typeof(ClaimReleased), typeof(ClaimResized),
        typeof(BuildFailuresCleared), typeof(ComputeServiceDisabled), typeof(ComputeServiceEnabled),
        typeof(ComputeServiceForcedDown), typeof(ComputeServiceDeleted), typeof(ComputeHostZoneAssigned),
    ];
}

/// <summary>
/// A compute host's capacity, operator switches and the claims against it: the authority the
/// scheduler appends to with optimistic concurrency, so two boots can never both take a host's
/// last resources.
/// </summary>
public sealed record ComputeHost(
    Guid Id, string Name, HostResources Inventory, HostResources Capacity, string HypervisorType, string HypervisorVersion,
    string AvailabilityZone, IReadOnlyDictionary<Guid, HostResources> Claims,
    bool Enabled = true, string? DisabledReason = null, bool ForcedDown = false, int RecentBuildFailures = 0, bool Deleted = false,
    string? ReportedZone = null, string? AggregateZone = null)
{
    /// <summary>The zone the host's own configuration names; <see cref="AvailabilityZone"/> is the one in force.</summary>
    public string ZoneReported => ReportedZone ?? AvailabilityZone;

    public HostResources Used => Claims.Values.Aggregate(HostResources.None, (sum, r) => sum.Add(r));
    public HostResources Free => Capacity.Subtract(Used);

    public static ComputeHost Evolve(ComputeHost? state, object @event) => @event switch
    {
        ComputeHostRegistered e => new ComputeHost(e.HostId, e.Name, e.Inventory, e.Capacity, e.HypervisorType,
            e.HypervisorVersion, e.AvailabilityZone, state?.Claims ?? new Dictionary<Guid, HostResources>(),
            ReportedZone: e.AvailabilityZone),
        ComputeHostReconfigured e => Require(state) with
        {
            Inventory = e.Inventory, Capacity = e.Capacity, ReportedZone = e.AvailabilityZone,
            AvailabilityZone = Require(state).AggregateZone ?? e.AvailabilityZone,
        },
        ComputeHostZoneAssigned e => Require(state) with
        {
            AggregateZone = e.Zone, AvailabilityZone = e.Zone ?? Require(state).ZoneReported,
        },
        ResourcesClaimed e => WithClaim(Require(state), e.ServerId, e.Resources),
        ClaimReleased e => Require(state) with
        {
            Claims = Require(state).Claims.Where(c => c.Key != e.ServerId).ToDictionary(c => c.Key, c => c.Value),
            RecentBuildFailures = Require(state).RecentBuildFailures + (e.BuildFailed ? 1 : 0),
        },
        ClaimResized e => WithClaim(Require(state), e.ServerId, e.Resources),
        BuildFailuresCleared => Require(state) with { RecentBuildFailures = 0 },
        ComputeServiceDisabled e => Require(state) with { Enabled = false, DisabledReason = e.Reason },
        ComputeServiceEnabled => Require(state) with { Enabled = true, DisabledReason = null },
        ComputeServiceForcedDown e => Require(state) with { ForcedDown = e.ForcedDown },
        ComputeServiceDeleted => Require(state) with { Deleted = true },
        _ => Require(state),
    };

    private static ComputeHost WithClaim(ComputeHost state, Guid serverId, HostResources resources) =>
        state with { Claims = new Dictionary<Guid, HostResources>(state.Claims) { [serverId] = resources } };

    private static ComputeHost Require(ComputeHost? state) =>
        state ?? throw new InvalidOperationException("host event before ComputeHostRegistered");
}

/// <summary>A host's name maps to one stream id, the same on every node.</summary>
public static class ComputeHostId
{
    public static Guid From(string hostName) => NameBasedId.From("nova-host:" + hostName);
}

public abstract record ComputeHostCommand
{
    public sealed record Report(
        string Name, HostResources Inventory, HostResources Capacity, string HypervisorType, string HypervisorVersion,
        string AvailabilityZone = "nova") : ComputeHostCommand;
    public sealed record Claim(Guid ServerId, HostResources Resources) : ComputeHostCommand;
    public sealed record Release(Guid ServerId, bool BuildFailed = false) : ComputeHostCommand;
    /// <summary>A resize to the host the server is on: its claim grows from <paramref name="Held"/> to held + wanted.</summary>
    public sealed record ClaimResize(Guid ServerId, HostResources Held, HostResources Wanted) : ComputeHostCommand;
    /// <summary>The same-host resize ended (confirm, revert, failure): the claim becomes <paramref name="Kept"/>.</summary>
    public sealed record SettleResize(Guid ServerId, HostResources Kept) : ComputeHostCommand;
    public sealed record RecordBuildSucceeded : ComputeHostCommand;
    public sealed record Disable(string? Reason) : ComputeHostCommand;
    public sealed record Enable : ComputeHostCommand;
    public sealed record ForceDown(bool ForcedDown) : ComputeHostCommand;
    public sealed record Delete : ComputeHostCommand;
    /// <summary>The zone the host's aggregates give it, or null when none of them names one.</summary>
    public sealed record AssignZone(string? Zone) : ComputeHostCommand;
}

/// <summary>The request does not fit on the host any more (another claim got there first), or the host takes no builds.</summary>
public sealed class InsufficientHostResources(string host, string why = "has not enough free resources") : Exception($"Host {host} {why}");

/// <summary>The host still holds servers (409): delete them or wait for them to go first.</summary>
public sealed class HostInUse(string host, int servers) : Exception($"Unable to delete compute service that is hosting {servers} instance(s) on host {host}.");

/// <summary>No such host (404).</summary>
public sealed class HostNotFound(string host) : Exception($"Compute host {host} could not be found.");

public static class ComputeHostDecider
{
    public static IReadOnlyList<object> Decide(ComputeHostCommand command, ComputeHost? state) => command switch
    {
        ComputeHostCommand.Report r when state is null || state.Deleted =>
            [new ComputeHostRegistered(ComputeHostId.From(r.Name), r.Name, r.Inventory, r.Capacity, r.HypervisorType,
                r.HypervisorVersion, r.AvailabilityZone)],
        ComputeHostCommand.Report r when state.Capacity != r.Capacity || state.Inventory != r.Inventory
                                         || state.ZoneReported != r.AvailabilityZone =>
            [new ComputeHostReconfigured(state.Id, r.Inventory, r.Capacity, r.AvailabilityZone)],
        ComputeHostCommand.Report => [],

        ComputeHostCommand.Claim c => Claim(state, c.ServerId, c.Resources),
        // A redelivered resize finds the claim grown already; one without a claim here is an ordinary claim.
        ComputeHostCommand.ClaimResize c => state?.Claims.TryGetValue(c.ServerId, out var held) != true || state.Deleted
            ? Claim(state, c.ServerId, c.Wanted)
            : held == c.Held ? Claim(state, c.ServerId, c.Wanted, held) : [],
        ComputeHostCommand.SettleResize s when state is not null && state.Claims.TryGetValue(s.ServerId, out var now) && now != s.Kept =>
            [new ClaimResized(state.Id, s.ServerId, s.Kept)],
        ComputeHostCommand.SettleResize => [],

        ComputeHostCommand.Release r when state is not null && state.Claims.TryGetValue(r.ServerId, out var held) =>
            [new ClaimReleased(state.Id, r.ServerId, held, r.BuildFailed)],
        ComputeHostCommand.Release => [], // released exactly once: a second release finds nothing

        ComputeHostCommand.RecordBuildSucceeded when state is { RecentBuildFailures: > 0, Deleted: false } => [new BuildFailuresCleared(state.Id)],
        ComputeHostCommand.RecordBuildSucceeded => [],

        ComputeHostCommand when state is null || state.Deleted => throw new HostNotFound(state?.Name ?? "(unknown)"),
        ComputeHostCommand.Disable d when state.Enabled || state.DisabledReason != d.Reason => [new ComputeServiceDisabled(state.Id, d.Reason)],
        ComputeHostCommand.Disable => [],
        ComputeHostCommand.Enable when !state.Enabled => [new ComputeServiceEnabled(state.Id)],
        ComputeHostCommand.Enable => [],
        ComputeHostCommand.ForceDown f when state.ForcedDown != f.ForcedDown => [new ComputeServiceForcedDown(state.Id, f.ForcedDown)],
        ComputeHostCommand.ForceDown => [],
        ComputeHostCommand.Delete when state.Claims.Count > 0 => throw new HostInUse(state.Name, state.Claims.Count),
        ComputeHostCommand.Delete => [new ComputeServiceDeleted(state.Id)],
        ComputeHostCommand.AssignZone z when state.AggregateZone != z.Zone => [new ComputeHostZoneAssigned(state.Id, z.Zone)],
        ComputeHostCommand.AssignZone => [],
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    /// <summary>Takes <paramref name="wanted"/> for the server; on top of <paramref name="held"/>, its claim here, for a same-host resize.</summary>
    private static IReadOnlyList<object> Claim(ComputeHost? state, Guid serverId, HostResources wanted, HostResources? held = null)
    {
        if (wanted.Vcpus < 0 || wanted.MemoryMb < 0 || wanted.DiskGb < 0)
            throw new ArgumentOutOfRangeException(nameof(wanted), "a claim cannot be negative");
        if (state is null || state.Deleted) throw new InsufficientHostResources("(unregistered)", "is not registered");
        if (held is null && state.Claims.ContainsKey(serverId)) return []; // redelivered: already claimed
        if (!state.Enabled || state.ForcedDown) throw new InsufficientHostResources(state.Name, "is disabled or forced down");
        if (!state.Free.Fits(wanted)) throw new InsufficientHostResources(state.Name);
        return held is { } before
            ? [new ClaimResized(state.Id, serverId, before.Add(wanted))]
            : [new ResourcesClaimed(state.Id, serverId, wanted)];
    }
}
