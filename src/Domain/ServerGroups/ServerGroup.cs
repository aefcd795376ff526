using Nova.Domain.Scheduling;

namespace Nova.Domain.ServerGroups;

public sealed record ServerGroupCreated(Guid GroupId, string Name, string Policy, string ProjectId, string UserId);

/// <summary>A server was created into the group (os:scheduler_hints.group).</summary>
public sealed record ServerGroupMemberAdded(Guid GroupId, Guid ServerId);

/// <summary>The scheduler placed a member on a host; the policy was checked against the other members in the same transaction.</summary>
public sealed record ServerGroupMemberPlaced(Guid GroupId, Guid ServerId, string Host);

public sealed record ServerGroupMemberRemoved(Guid GroupId, Guid ServerId);

public sealed record ServerGroupDeleted(Guid GroupId);

public static class ServerGroupEventTypes
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(ServerGroupCreated), typeof(ServerGroupMemberAdded), typeof(ServerGroupMemberPlaced),
        typeof(ServerGroupMemberRemoved), typeof(ServerGroupDeleted),
    ];
}

/// <summary>Nova's server group: a policy over where its members may run, and where they run.</summary>
public sealed record ServerGroup(
    Guid Id, string Name, string Policy, string ProjectId, string UserId,
    IReadOnlyDictionary<Guid, string?> Members, bool Deleted = false)
{
    public static readonly IReadOnlyList<string> Policies =
        [GroupPlacement.Affinity, GroupPlacement.AntiAffinity, GroupPlacement.SoftAffinity, GroupPlacement.SoftAntiAffinity];

    /// <summary>The policy and the hosts of the members already placed, other than <paramref name="except"/>.</summary>
    public GroupPlacement Placement(Guid except) =>
        new(Policy, Members.Where(m => m.Key != except && m.Value is not null).Select(m => m.Value!).ToHashSet());

    public static ServerGroup Evolve(ServerGroup? state, object @event) => @event switch
    {
        ServerGroupCreated e => new ServerGroup(e.GroupId, e.Name, e.Policy, e.ProjectId, e.UserId, new Dictionary<Guid, string?>()),
        ServerGroupMemberAdded e => Require(state) with { Members = With(Require(state).Members, e.ServerId, null) },
        ServerGroupMemberPlaced e => Require(state) with { Members = With(Require(state).Members, e.ServerId, e.Host) },
        ServerGroupMemberRemoved e => Require(state) with
        {
            Members = Require(state).Members.Where(m => m.Key != e.ServerId).ToDictionary(m => m.Key, m => m.Value),
        },
        ServerGroupDeleted => Require(state) with { Deleted = true },
        _ => Require(state),
    };

    private static Dictionary<Guid, string?> With(IReadOnlyDictionary<Guid, string?> members, Guid server, string? host) =>
        new(members) { [server] = host };

    private static ServerGroup Require(ServerGroup? state) =>
        state ?? throw new InvalidOperationException("server group event before ServerGroupCreated");
}

/// <summary>Placing the member there would break the group's hard policy (Nova's late check fails).</summary>
public sealed class GroupPolicyViolated(Guid group, string policy, string host)
    : Exception($"Placing on {host} would violate the {policy} policy of server group {group}");

/// <summary>No such server group, or it was deleted (404; 400 when named in a create).</summary>
public sealed class ServerGroupNotFound(Guid id) : Exception($"Server group {id} could not be found.");

public abstract record ServerGroupCommand
{
    public sealed record Create(Guid GroupId, string Name, string Policy, string ProjectId, string UserId) : ServerGroupCommand;
    public sealed record AddMember(Guid ServerId, int MaxMembers) : ServerGroupCommand;
    public sealed record Place(Guid ServerId, string Host) : ServerGroupCommand;
    public sealed record RemoveMember(Guid ServerId) : ServerGroupCommand;
    public sealed record Delete : ServerGroupCommand;
}

/// <summary>The group's membership quota was reached.</summary>
public sealed class ServerGroupFull(Guid group, int limit)
    : Exception($"Quota exceeded, too many servers in group {group}: at most {limit}");

public static class ServerGroupDecider
{
    public static IReadOnlyList<object> Decide(ServerGroupCommand command, ServerGroup? state) => command switch
    {
        ServerGroupCommand.Create c when !ServerGroup.Policies.Contains(c.Policy) =>
            throw new ArgumentException($"Invalid input for field/attribute policy. Value: {c.Policy}. '{c.Policy}' is not one of {string.Join(", ", ServerGroup.Policies)}"),
        ServerGroupCommand.Create c => state is null
            ? [new ServerGroupCreated(c.GroupId, c.Name, c.Policy, c.ProjectId, c.UserId)]
            : [],
        ServerGroupCommand.RemoveMember r => state is not null && state.Members.ContainsKey(r.ServerId)
            ? [new ServerGroupMemberRemoved(state.Id, r.ServerId)]
            : [],
        _ when state is null || state.Deleted => throw new ServerGroupNotFound(state?.Id ?? Guid.Empty),
        ServerGroupCommand.AddMember a when state.Members.ContainsKey(a.ServerId) => [],
        ServerGroupCommand.AddMember a when a.MaxMembers >= 0 && state.Members.Count >= a.MaxMembers =>
            throw new ServerGroupFull(state.Id, a.MaxMembers),
        ServerGroupCommand.AddMember a => [new ServerGroupMemberAdded(state.Id, a.ServerId)],
        ServerGroupCommand.Place p when state.Members.TryGetValue(p.ServerId, out var at) && at == p.Host => [],
        ServerGroupCommand.Place p when Violates(state.Placement(p.ServerId), p.Host) =>
            throw new GroupPolicyViolated(state.Id, state.Policy, p.Host),
        ServerGroupCommand.Place p => [new ServerGroupMemberPlaced(state.Id, p.ServerId, p.Host)],
        ServerGroupCommand.Delete => [new ServerGroupDeleted(state.Id)],
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    /// <summary>The same test as the scheduler's filters, on the authoritative membership.</summary>
    private static bool Violates(GroupPlacement placement, string host) =>
        !new ServerGroupAffinityFilter().Passes(new HostCandidate(host, Hosts.HostResources.None, Hosts.HostResources.None, true, true),
            new SchedulingRequest(Hosts.HostResources.None, Group: placement))
        || !new ServerGroupAntiAffinityFilter().Passes(new HostCandidate(host, Hosts.HostResources.None, Hosts.HostResources.None, true, true),
            new SchedulingRequest(Hosts.HostResources.None, Group: placement));
}
