namespace Nova.Domain.Servers;

// Server metadata (Nova's server_metadata API): key/value pairs the user keeps on the server. Changed only while the
// server is ACTIVE, PAUSED, SUSPENDED or SHUTOFF with no task, and not while it is locked (unless by an admin), as
// Nova's compute API update_instance_metadata / delete_instance_metadata; the count is bounded by metadata_items.

public abstract partial record ServerCommand
{
    /// <summary>
    /// POST /metadata merges <paramref name="Items"/> into the metadata; PUT /metadata (<paramref name="Replace"/>) makes
    /// them the whole of it. <paramref name="Limit"/>: the metadata_items quota (-1: unlimited).
    /// <paramref name="Action"/>: Nova's name of the call, for the 409.
    /// </summary>
    public sealed record SetMetadata(Requester By, IReadOnlyDictionary<string, string> Items, bool Replace, int Limit,
        string Action = "update metadata") : ServerCommand;
    public sealed record DeleteMetadataItem(Requester By, string Key) : ServerCommand;
}

/// <summary>The server's metadata is now <paramref name="Metadata"/>, all of it (a merge is recorded with its result).</summary>
public sealed record ServerMetadataSet(Guid ServerId, IReadOnlyDictionary<string, string> Metadata) : IServerEvent;

public sealed record ServerMetadataItemDeleted(Guid ServerId, string Key) : IServerEvent;

/// <summary>Nova's MetadataLimitExceeded (an OverQuota): 403.</summary>
public sealed class MetadataLimitExceeded(int allowed) : Exception($"Maximum number of metadata items exceeds {allowed}");

public static class MetadataEvents
{
    public static readonly IReadOnlyList<Type> All = [typeof(ServerMetadataSet), typeof(ServerMetadataItemDeleted)];

    /// <summary>Evolve for the metadata events; null for any other event.</summary>
    public static Server? Evolve(Server state, object @event) => @event switch
    {
        ServerMetadataSet e => state with { Metadata = new Dictionary<string, string>(e.Metadata) },
        ServerMetadataItemDeleted e => state with
        {
            Metadata = state.MetadataItems.Where(kv => kv.Key != e.Key).ToDictionary(kv => kv.Key, kv => kv.Value),
        },
        _ => null,
    };
}

public static class MetadataDecision
{
    public static bool IsUserCommand(ServerCommand command) => command is ServerCommand.SetMetadata or ServerCommand.DeleteMetadataItem;

    public static IReadOnlyList<object>? Decide(ServerCommand command, Server state) => command switch
    {
        ServerCommand.SetMetadata c => Set(state, c),
        ServerCommand.DeleteMetadataItem c => Delete(state, c),
        _ => null,
    };

    private static IReadOnlyList<object> Set(Server state, ServerCommand.SetMetadata c)
    {
        RequireChangeable(state, c.By, c.Action);
        var result = c.Replace ? new Dictionary<string, string>(c.Items) : new Dictionary<string, string>(state.MetadataItems);
        if (!c.Replace)
            foreach (var (key, value) in c.Items) result[key] = value;
        // Nova checks the count the server would have, whatever it had before.
        if (c.Limit >= 0 && result.Count > c.Limit) throw new MetadataLimitExceeded(c.Limit);
        return SameItems(result, state.MetadataItems) ? [] : [new ServerMetadataSet(state.Id, result)];
    }

    /// <summary>A missing key is 404 before any state rule, as Nova looks it up first.</summary>
    private static IReadOnlyList<object> Delete(Server state, ServerCommand.DeleteMetadataItem c)
    {
        if (!state.MetadataItems.ContainsKey(c.Key)) throw new ServerItemNotFound("Metadata item was not found");
        RequireChangeable(state, c.By, "delete metadata");
        return [new ServerMetadataItemDeleted(state.Id, c.Key)];
    }

    /// <summary>check_instance_lock, then check_instance_state(vm_state=[ACTIVE, PAUSED, SUSPENDED, STOPPED], task_state=None).</summary>
    private static void RequireChangeable(Server state, Requester by, string action)
    {
        if (state.Locked && !by.IsAdmin) throw ServerConflict.IsLocked(state.Id);
        if (state.VmState is not (VmState.Active or VmState.Paused or VmState.Suspended or VmState.Stopped))
            throw ServerConflict.InvalidState(action, state.Id, "vm_state", NovaNames.Of(state.VmState));
        if (state.TaskState is not null) throw ServerConflict.InvalidState(action, state.Id, "task_state", NovaNames.Of(state.TaskState)!);
    }

    private static bool SameItems(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
