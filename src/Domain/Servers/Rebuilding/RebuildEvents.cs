namespace Nova.Domain.Servers;

// rebuild: ACTIVE, SHUTOFF or ERROR → REBUILD (rebuilding → rebuild_block_device_mapping → rebuild_spawning) → ACTIVE,
// or SHUTOFF again for a server that was stopped (as Nova). Same id, host and claim: the flavor does not change.
// The image (and name, metadata) change when the rebuild is accepted, as Nova's API changes them before the cast.

/// <param name="ImageId">The new image; the server's image from now on.</param>
/// <param name="Name">The new name, when the request gave one.</param>
/// <param name="Metadata">The new metadata (replacing the old), when the request gave it.</param>
public sealed record ServerRebuildRequested(
    Guid ServerId, string Host, string ImageId, string? Name, IReadOnlyDictionary<string, string>? Metadata,
    bool PreserveEphemeral) : IHostActionRequested
{
    public ServerAction Requested() => ServerAction.Rebuild;
}

/// <summary>The host moved the rebuild to its next step (rebuild_block_device_mapping, rebuild_spawning).</summary>
public sealed record ServerRebuildStepStarted(Guid ServerId, string Host, TaskState Step) : IServerEvent;

/// <param name="VmState">Active, or stopped for a server that was stopped before.</param>
public sealed record ServerRebuilt(Guid ServerId, string Host, VmState VmState, DateTimeOffset LaunchedAt) : IHostActionCompleted
{
    public ServerAction Completed() => ServerAction.Rebuild;
}

/// <summary>The host could not rebuild the server (or never answered): ERROR with the fault, as Nova.</summary>
public sealed record ServerRebuildFailed(Guid ServerId, string Host, ServerFault Fault) : IServerEvent;

public static class RebuildEvents
{
    public static readonly IReadOnlyList<Type> All =
        [typeof(ServerRebuildRequested), typeof(ServerRebuildStepStarted), typeof(ServerRebuilt), typeof(ServerRebuildFailed)];

    /// <summary>Rebuild's steps in order; -1 for any other task.</summary>
    public static int Order(TaskState? task) => task switch
    {
        TaskState.Rebuilding => 0,
        TaskState.RebuildBlockDeviceMapping => 1,
        TaskState.RebuildSpawning => 2,
        _ => -1,
    };
}

/// <summary>Rebuild's rows of the state table: the user's request and the host's reports.</summary>
public static class RebuildDecision
{
    public static IReadOnlyList<object> Rebuild(Server state, ServerCommand.Rebuild c)
    {
        if (state.Locked && !c.By.IsAdmin) throw ServerConflict.IsLocked(state.Id);
        if (state.VmState is not (VmState.Active or VmState.Stopped or VmState.Error) || state.TaskState is not null || state.Host is null)
            throw ServerConflict.InvalidState(ServerAction.Rebuild, state);
        return [new ServerRebuildRequested(state.Id, state.Host, c.ImageId, c.Name, c.Metadata, c.PreserveEphemeral)];
    }

    public static IReadOnlyList<object> Step(Server state, ServerCommand.RecordRebuildStep c) =>
        state.Host == c.Host && RebuildEvents.Order(state.TaskState) >= 0 && RebuildEvents.Order(c.Step) > RebuildEvents.Order(state.TaskState)
            ? [new ServerRebuildStepStarted(state.Id, c.Host, c.Step)] : [];

    /// <summary>A stopped server is rebuilt and stays stopped; an active or failed one ends active.</summary>
    public static IReadOnlyList<object> Rebuilt(Server state, ServerCommand.RecordRebuilt c) =>
        state.Host == c.Host && RebuildEvents.Order(state.TaskState) >= 0
            ? [new ServerRebuilt(state.Id, c.Host, state.VmState == VmState.Stopped ? VmState.Stopped : VmState.Active, c.Now)] : [];

    public static IReadOnlyList<object> Failed(Server state, string host, ServerFault fault) =>
        state.Host == host && RebuildEvents.Order(state.TaskState) >= 0 ? [new ServerRebuildFailed(state.Id, host, fault)] : [];
}
