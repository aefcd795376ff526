namespace Nova.Domain.Servers;

// PUT /servers/{id}: the name, the description (2.19) and the access addresses change in any state, as in Nova
// (compute API update_instance has no state or lock check); nothing is asked of the host.

public abstract partial record ServerCommand
{
    /// <summary>
    /// Each field is changed when given (not null); <paramref name="Description"/> is given when
    /// <paramref name="DescriptionGiven"/>, and null then removes it.
    /// </summary>
    public sealed record Update(Requester By, string? Name = null, bool DescriptionGiven = false, string? Description = null,
        string? AccessIPv4 = null, string? AccessIPv6 = null) : ServerCommand;
}

public sealed record ServerRenamed(Guid ServerId, string Name) : IServerEvent;

/// <summary><paramref name="Description"/>: null removes it.</summary>
public sealed record ServerDescriptionChanged(Guid ServerId, string? Description) : IServerEvent;

/// <summary>The addresses a user says the server is reached at (Nova's accessIPv4/accessIPv6); null leaves one as it was.</summary>
public sealed record ServerAccessAddressesChanged(Guid ServerId, string? AccessIPv4, string? AccessIPv6) : IServerEvent;

public static class UpdateEvents
{
    public static readonly IReadOnlyList<Type> All =
        [typeof(ServerRenamed), typeof(ServerDescriptionChanged), typeof(ServerAccessAddressesChanged)];

    /// <summary>Evolve for the update events; null for any other event.</summary>
    public static Server? Evolve(Server state, object @event) => @event switch
    {
        ServerRenamed e => state with { Name = e.Name },
        ServerDescriptionChanged e => state with { Description = e.Description },
        ServerAccessAddressesChanged e => state with
        {
            AccessIPv4 = e.AccessIPv4 ?? state.AccessIPv4, AccessIPv6 = e.AccessIPv6 ?? state.AccessIPv6,
        },
        _ => null,
    };
}

/// <summary>PUT /servers/{id} as a decision: one event per field that changes, none when nothing does.</summary>
public static class UpdateDecision
{
    public static bool IsUserCommand(ServerCommand command) => command is ServerCommand.Update;

    public static IReadOnlyList<object>? Decide(ServerCommand command, Server state)
    {
        if (command is not ServerCommand.Update c) return null;
        var events = new List<object>();
        if (c.Name is { } name && name != state.Name) events.Add(new ServerRenamed(state.Id, name));
        if (c.DescriptionGiven && c.Description != state.Description) events.Add(new ServerDescriptionChanged(state.Id, c.Description));
        var v4 = c.AccessIPv4 is { } a4 && a4 != state.AccessIPv4 ? a4 : null;
        var v6 = c.AccessIPv6 is { } a6 && a6 != state.AccessIPv6 ? a6 : null;
        if (v4 is not null || v6 is not null) events.Add(new ServerAccessAddressesChanged(state.Id, v4, v6));
        return events;
    }
}
