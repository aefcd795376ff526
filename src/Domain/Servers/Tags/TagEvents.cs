namespace Nova.Domain.Servers;

// Server tags (2.26, Nova's server_tags API): at most 50 short strings per server, for the list filters. Changed only
// while the server is ACTIVE, PAUSED, SUSPENDED or SHUTOFF, whatever its task or lock (Nova's
// ServerTagsController._check_instance_in_valid_state); set at create from 2.52.

public abstract partial record ServerCommand
{
    /// <summary>PUT /tags (the whole list) and DELETE /tags (an empty one); <paramref name="Action"/>: Nova's name, for the 409.</summary>
    public sealed record SetTags(Requester By, IReadOnlyList<string> Tags, string Action = "update tags") : ServerCommand;
    public sealed record AddTag(Requester By, string Tag) : ServerCommand;
    public sealed record RemoveTag(Requester By, string Tag) : ServerCommand;
}

/// <summary>The server's tags are now <paramref name="Tags"/> (none: all removed).</summary>
public sealed record ServerTagsSet(Guid ServerId, IReadOnlyList<string> Tags) : IServerEvent;

public sealed record ServerTagAdded(Guid ServerId, string Tag) : IServerEvent;

public sealed record ServerTagRemoved(Guid ServerId, string Tag) : IServerEvent;

/// <summary>Nova's tag rules: objects.instance.MAX_TAG_COUNT, objects.tag.MAX_TAG_LENGTH and parameter_types.tag.</summary>
public static class ServerTags
{
    public const int MaxCount = 50, MaxLength = 60;

    /// <summary>Why <paramref name="tag"/> is not a tag (Nova's schema: 1..60 characters, no '/' or ','); null when it is one.</summary>
    public static string? Invalid(string tag) => tag switch
    {
        { Length: 0 } => $"'{tag}' is too short",
        { Length: > MaxLength } => $"'{tag}' is too long",
        _ when tag.Contains('/') || tag.Contains(',') => $"'{tag}' does not match '^[^,/]*$'",
        _ => null,
    };
}

public static class TagEvents
{
    public static readonly IReadOnlyList<Type> All = [typeof(ServerTagsSet), typeof(ServerTagAdded), typeof(ServerTagRemoved)];

    /// <summary>Evolve for the tag events; null for any other event.</summary>
    public static Server? Evolve(Server state, object @event) => @event switch
    {
        ServerTagsSet e => state with { Tags = [.. e.Tags.Distinct()] },
        ServerTagAdded e => state with { Tags = [.. state.TagList, e.Tag] },
        ServerTagRemoved e => state with { Tags = [.. state.TagList.Where(t => t != e.Tag)] },
        _ => null,
    };
}

public static class TagDecision
{
    public static bool IsUserCommand(ServerCommand command) => command is ServerCommand.SetTags or ServerCommand.AddTag or ServerCommand.RemoveTag;

    public static IReadOnlyList<object>? Decide(ServerCommand command, Server state) => command switch
    {
        ServerCommand.SetTags c => Set(state, c),
        ServerCommand.AddTag c => Add(state, c),
        ServerCommand.RemoveTag c => Remove(state, c),
        _ => null,
    };

    /// <summary>The tags a new server starts with (POST /servers at 2.52), checked as PUT /tags checks them.</summary>
    public static IReadOnlyList<object> AtCreate(Guid serverId, IReadOnlyList<string>? tags)
    {
        if (tags is not { Count: > 0 }) return [];
        RequireValid(tags);
        return [new ServerTagsSet(serverId, [.. tags.Distinct()])];
    }

    private static IReadOnlyList<object> Set(Server state, ServerCommand.SetTags c)
    {
        RequireTaggable(state, c.Action);
        RequireValid(c.Tags);
        var tags = c.Tags.Distinct().ToList();
        return tags.SequenceEqual(state.TagList) ? [] : [new ServerTagsSet(state.Id, tags)];
    }

    /// <summary>Nova's order: the state, the tag, the count (even for a tag it has), then nothing for a tag it has.</summary>
    private static IReadOnlyList<object> Add(Server state, ServerCommand.AddTag c)
    {
        RequireTaggable(state, "update tag");
        if (ServerTags.Invalid(c.Tag) is { } why)
            throw new InvalidServerRequest(
                $"Tag '{c.Tag}' is invalid. It must be a non empty string without characters '/' and ','. Validation error message: {why}");
        if (state.TagList.Count >= ServerTags.MaxCount)
            throw new InvalidServerRequest($"The number of tags exceeded the per-server limit {ServerTags.MaxCount}");
        return state.TagList.Contains(c.Tag) ? [] : [new ServerTagAdded(state.Id, c.Tag)];
    }

    private static IReadOnlyList<object> Remove(Server state, ServerCommand.RemoveTag c)
    {
        RequireTaggable(state, "delete tag");
        if (!state.TagList.Contains(c.Tag)) throw new ServerItemNotFound($"Instance {state.Id} has no tag '{c.Tag}'");
        return [new ServerTagRemoved(state.Id, c.Tag)];
    }

    private static void RequireValid(IReadOnlyList<string> tags)
    {
        if (tags.Count > ServerTags.MaxCount)
            throw new InvalidServerRequest($"Invalid input for field/attribute tags. Value: {tags.Count} tags. is too long (at most {ServerTags.MaxCount})");
        foreach (var tag in tags)
            if (ServerTags.Invalid(tag) is { } why)
                throw new InvalidServerRequest($"Invalid input for field/attribute tags. Value: {tag}. {why}");
    }

    private static void RequireTaggable(Server state, string action)
    {
        if (state.VmState is not (VmState.Active or VmState.Paused or VmState.Suspended or VmState.Stopped))
            throw ServerConflict.InvalidState(action, state.Id, "vm_state", NovaNames.Of(state.VmState));
    }
}
