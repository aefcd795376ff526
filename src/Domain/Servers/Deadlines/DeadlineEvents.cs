namespace Nova.Domain.Servers;

// An operation's deadline passed after its last retry: the control plane ends the task itself, so no server waits
// for an answer that will not come. The event that ends the task is the one a failure report would have decided
// (ServerBuildFailed, ServerActionFailed, ServerDeleted, …); this one comes first and says why.

/// <summary>
/// The host (or the scheduler) did not answer <paramref name="Operation"/> within its deadline after
/// <paramref name="Attempts"/> sends; <paramref name="Task"/> was the task it left the server in.
/// </summary>
public sealed record ServerOperationTimedOut(Guid ServerId, string? Host, string Operation, TaskState Task, int Attempts) : IServerEvent;

public static class DeadlineEvents
{
    public static readonly IReadOnlyList<Type> All = [typeof(ServerOperationTimedOut)];
}
