namespace Nova.Domain.Servers;

// The host's reconciliation: what its hypervisor has, compared with what the event store says it should have.

/// <summary>
/// The server's host no longer has its guest (a crash of the hypervisor, a fake host restarted, a domain removed
/// by hand): the server goes to ERROR with a fault instead of showing ACTIVE for a guest that does not exist.
/// It keeps its claim until it is deleted, as any server in error does.
/// </summary>
public sealed record ServerGuestLost(Guid ServerId, string Host, ServerFault Fault) : IServerEvent;

/// <summary>
/// A guest on <paramref name="Host"/> that no live server owns there (deleted, moved, or never known): an orphan.
/// <paramref name="Reaped"/>: the policy asked the host to destroy it. Recorded on the server's stream when it has one.
/// </summary>
public sealed record OrphanGuestFound(Guid ServerId, string Host, bool Reaped) : IServerEvent;

public static class ReconcileEvents
{
    public static readonly IReadOnlyList<Type> All = [typeof(ServerGuestLost), typeof(OrphanGuestFound)];
}
