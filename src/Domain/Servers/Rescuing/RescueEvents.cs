namespace Nova.Domain.Servers;

// rescue / unrescue: ACTIVE, SHUTOFF or ERROR → RESCUE: the guest boots from the rescue image with its own
// disk as the second disk; unrescue boots its own definition again.

/// <param name="RescueImageId">The request's rescue_image_ref, else the server's own image.</param>
public sealed record ServerRescueRequested(Guid ServerId, string Host, string RescueImageId) : IHostActionRequested
{
    public ServerAction Requested() => ServerAction.Rescue;
}

public sealed record ServerRescued(Guid ServerId, string Host) : IHostActionCompleted
{
    public ServerAction Completed() => ServerAction.Rescue;
}

public sealed record ServerUnrescueRequested(Guid ServerId, string Host) : IHostActionRequested
{
    public ServerAction Requested() => ServerAction.Unrescue;
}

public sealed record ServerUnrescued(Guid ServerId, string Host) : IHostActionCompleted
{
    public ServerAction Completed() => ServerAction.Unrescue;
}

public static class RescueEvents
{
    public static readonly IReadOnlyList<Type> All =
        [typeof(ServerRescueRequested), typeof(ServerRescued), typeof(ServerUnrescueRequested), typeof(ServerUnrescued)];
}
