namespace Nova.Domain.Servers;

/// <summary>
/// The command is not allowed in the server's current state (Nova's InstanceInvalidState,
/// InstanceIsLocked): the API answers 409 and nothing is appended.
/// </summary>
public sealed class ServerConflict(string message) : Exception(message)
{
    public static ServerConflict InvalidState(ServerAction action, Server server) =>
        server.TaskState is { } task
            ? new($"Cannot '{NovaNames.Of(action)}' instance {server.Id} while it is in task_state {NovaNames.Of(task)}")
            : new($"Cannot '{NovaNames.Of(action)}' instance {server.Id} while it is in vm_state {NovaNames.Of(server.VmState)}");

    public static ServerConflict IsLocked(Guid id) => new($"Instance {id} is locked");

    /// <summary>Nova's raise_http_conflict_for_instance_invalid_state for an API-side <paramref name="action"/> ('update metadata', 'delete tag').</summary>
    public static ServerConflict InvalidState(string action, Guid id, string attribute, string state) =>
        new($"Cannot '{action}' instance {id} while it is in {attribute} {state}");
}

/// <summary>A part of a server that is not there (a metadata key, a tag): 404.</summary>
public sealed class ServerItemNotFound(string message) : Exception(message);

/// <summary>No such server (or it is deleted): 404.</summary>
public sealed class ServerNotFound(Guid id) : Exception($"Instance {id} could not be found.")
{
    public Guid ServerId { get; } = id;
}

/// <summary>The request itself is wrong for this server whatever its state (Nova's 400), e.g. a resize to its own flavor.</summary>
public sealed class InvalidServerRequest(string message) : Exception(message);
