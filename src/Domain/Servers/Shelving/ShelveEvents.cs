namespace Nova.Domain.Servers;

// shelve: ACTIVE, SHUTOFF, PAUSED or SUSPENDED → SHELVED (the guest off, its disk stored as an image), then
// SHELVED_OFFLOADED (nothing left on the host, the claim released), at once or after shelved_offload_time.
// unshelve: back to ACTIVE, on the same host while shelved, through the scheduler once offloaded.

/// <param name="ImageId">The image the disk is stored as (created, queued, with this event).</param>
public sealed record ServerShelveRequested(Guid ServerId, string Host, Guid ImageId) : IHostActionRequested
{
    public ServerAction Requested() => ServerAction.Shelve;
}

/// <summary>The host moved the shelve to its next step (shelving_image_pending_upload, shelving_image_uploading).</summary>
public sealed record ServerShelveStepStarted(Guid ServerId, string Host, TaskState Step) : IServerEvent;

public sealed record ServerShelved(Guid ServerId, string Host, Guid ImageId, DateTimeOffset ShelvedAt) : IHostActionCompleted
{
    public ServerAction Completed() => ServerAction.Shelve;
}

/// <summary>The host is asked to remove the shelved server (an admin's shelveOffload, or the offload after shelving).</summary>
public sealed record ServerShelveOffloadRequested(Guid ServerId, string Host) : IHostActionRequested
{
    public ServerAction Requested() => ServerAction.ShelveOffload;
}

/// <summary>Nothing of the server is left on <see cref="Host"/>; its claim there is released.</summary>
public sealed record ServerShelveOffloaded(Guid ServerId, string Host) : IHostActionCompleted
{
    public ServerAction Completed() => ServerAction.ShelveOffload;
}

/// <summary>Unshelve accepted: <see cref="Host"/> is the host that still holds a shelved server, null once offloaded (the scheduler picks one).</summary>
public sealed record ServerUnshelveRequested(Guid ServerId, string? Host) : IHostActionRequested
{
    public ServerAction Requested() => ServerAction.Unshelve;
}

/// <summary>The scheduler chose a host for an offloaded server's unshelve (and claimed on it).</summary>
public sealed record ServerUnshelveScheduled(Guid ServerId, string Host, string? Zone = null) : IServerEvent;

/// <summary>The server runs again from its shelve image, which is deleted now.</summary>
public sealed record ServerUnshelved(Guid ServerId, string Host, Guid? ImageId, DateTimeOffset LaunchedAt) : IHostActionCompleted
{
    public ServerAction Completed() => ServerAction.Unshelve;
}

/// <summary>
/// An offloaded server's unshelve failed (no host, or the host could not spawn it): it stays shelved_offloaded with
/// the fault, and a claim taken for it (on <see cref="Host"/>) is released.
/// </summary>
public sealed record ServerUnshelveFailed(Guid ServerId, string? Host, ServerFault Fault) : IServerEvent;

public static class ShelveEvents
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(ServerShelveRequested), typeof(ServerShelveStepStarted), typeof(ServerShelved), typeof(ServerShelveOffloadRequested),
        typeof(ServerShelveOffloaded), typeof(ServerUnshelveRequested), typeof(ServerUnshelveScheduled), typeof(ServerUnshelved),
        typeof(ServerUnshelveFailed),
    ];
}
