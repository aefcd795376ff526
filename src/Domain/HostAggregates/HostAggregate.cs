namespace Nova.Domain.HostAggregates;

/// <summary>
/// Nova's host aggregate: a named group of compute hosts with metadata. The metadata key
/// <c>availability_zone</c> makes the group an availability zone: its hosts are in that zone.
/// </summary>
public sealed record HostAggregate(int Id, Guid Uuid, string Name, IReadOnlyList<string> Hosts,
    IReadOnlyDictionary<string, string> Metadata)
{
    public const string ZoneKey = "availability_zone";

    public string? AvailabilityZone => Metadata.GetValueOrDefault(ZoneKey);
}

public abstract record HostAggregateCommand
{
    /// <summary>PUT /os-aggregates/{id}: a new name and/or zone (<paramref name="SetZone"/> false leaves the zone).</summary>
    public sealed record Update(string? Name, bool SetZone, string? Zone) : HostAggregateCommand;
    public sealed record AddHost(string Host) : HostAggregateCommand;
    public sealed record RemoveHost(string Host) : HostAggregateCommand;
    /// <summary>A null value removes the key.</summary>
    public sealed record SetMetadata(IReadOnlyDictionary<string, string?> Changes) : HostAggregateCommand;
}

/// <summary>What the rest of the cloud knows when an aggregate changes: its other aggregates and which hosts run servers.</summary>
public sealed record HostAggregateContext(IReadOnlyList<HostAggregate> Others, Func<string, bool> HostHasServers);

/// <summary>The aggregate after a command, and the zone each affected host is now in (null: its own).</summary>
public sealed record HostAggregateChange(HostAggregate Aggregate, IReadOnlyDictionary<string, string?> HostZones);

/// <summary>Nova's rules for aggregates (nova/compute/api.py AggregateAPI), refused with Nova's messages.</summary>
public static class HostAggregateDecider
{
    public static HostAggregateChange Decide(HostAggregateCommand command, HostAggregate state, HostAggregateContext context)
    {
        var next = command switch
        {
            HostAggregateCommand.Update u => Rename(state, u.Name, context) with
            {
                Metadata = u.SetZone ? WithZone(state.Metadata, u.Zone) : state.Metadata,
            },
            HostAggregateCommand.AddHost a when state.Hosts.Contains(a.Host) =>
                throw new HostAggregateConflict($"Aggregate {state.Id} already has host {a.Host}."),
            HostAggregateCommand.AddHost a => state with { Hosts = [.. state.Hosts, a.Host] },
            HostAggregateCommand.RemoveHost r when !state.Hosts.Contains(r.Host) =>
                throw new HostAggregateNotFound($"Aggregate {state.Id} has no host {r.Host}."),
            HostAggregateCommand.RemoveHost r => state with { Hosts = state.Hosts.Where(h => h != r.Host).ToList() },
            HostAggregateCommand.SetMetadata m => state with { Metadata = Apply(state.Metadata, m.Changes) },
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };

        var zoneChanged = next.AvailabilityZone != state.AvailabilityZone;
        var joined = next.Hosts.Except(state.Hosts).ToList();
        var left = state.Hosts.Except(next.Hosts).ToList();
        // Hosts whose zone may move: every member when the zone changes, else those joining or leaving.
        var affected = zoneChanged ? next.Hosts.Union(left).ToList() : joined.Union(left).ToList();
        var zones = new Dictionary<string, string?>();
        foreach (var host in affected)
        {
            var before = ZoneOf(host, [state, .. context.Others]);
            var after = ZoneOf(host, [next, .. context.Others]);
            if (next.Hosts.Contains(host) && next.AvailabilityZone is { } zone
                && context.Others.Where(o => o.Hosts.Contains(host)).Select(o => o.AvailabilityZone).OfType<string>()
                    .Where(z => z != zone).Distinct().ToList() is { Count: > 0 } clashing)
            {
                var verb = command is HostAggregateCommand.AddHost ? "add host to" : "update";
                throw new InvalidHostAggregateAction(
                    $"Cannot {verb} aggregate {state.Id}. Reason: One or more hosts already in availability zone(s) [{string.Join(", ", clashing.Select(z => $"'{z}'"))}].");
            }
            if (before == after) continue;
            // Servers keep the zone they were placed in: moving their host would put them in another one.
            if (zoneChanged && context.HostHasServers(host))
                throw new InvalidHostAggregateAction(
                    $"Cannot update aggregate {state.Id}. Reason: One or more hosts contain instances in this zone.");
            zones[host] = after;
        }
        return new HostAggregateChange(next, zones);
    }

    /// <summary>A host with no aggregate zone is in the zone it reports itself.</summary>
    public static string? ZoneOf(string host, IEnumerable<HostAggregate> aggregates) =>
        aggregates.Where(a => a.Hosts.Contains(host)).Select(a => a.AvailabilityZone).OfType<string>().FirstOrDefault();

    /// <summary>Names are unique across aggregates (409).</summary>
    public static void RequireUniqueName(string name, IEnumerable<HostAggregate> others)
    {
        if (others.Any(o => o.Name == name)) throw new HostAggregateConflict($"Aggregate {name} already exists.");
    }

    /// <summary>An aggregate with hosts cannot be deleted (400).</summary>
    public static void RequireEmpty(HostAggregate state)
    {
        if (state.Hosts.Count > 0)
            throw new InvalidHostAggregateAction($"Cannot delete aggregate {state.Id}. Reason: Host aggregate is not empty.");
    }

    private static HostAggregate Rename(HostAggregate state, string? name, HostAggregateContext context)
    {
        if (name is null || name == state.Name) return state;
        RequireUniqueName(name, context.Others);
        return state with { Name = name };
    }

    private static IReadOnlyDictionary<string, string> WithZone(IReadOnlyDictionary<string, string> metadata, string? zone) =>
        Apply(metadata, new Dictionary<string, string?> { [HostAggregate.ZoneKey] = zone });

    private static IReadOnlyDictionary<string, string> Apply(IReadOnlyDictionary<string, string> metadata,
        IReadOnlyDictionary<string, string?> changes)
    {
        var result = new Dictionary<string, string>(metadata);
        foreach (var (key, value) in changes)
        {
            if (value is null) result.Remove(key);
            else result[key] = value;
        }
        return result;
    }
}

/// <summary>409: the name is taken, or the host is already a member.</summary>
public sealed class HostAggregateConflict(string message) : Exception(message);

/// <summary>404: no such aggregate, or the host is not a member.</summary>
public sealed class HostAggregateNotFound(string message) : Exception(message);

/// <summary>400: the change would break a zone rule or delete a non-empty aggregate.</summary>
public sealed class InvalidHostAggregateAction(string message) : Exception(message);
