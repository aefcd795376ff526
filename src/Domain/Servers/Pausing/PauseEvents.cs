namespace Nova.Domain.Servers;

// pause / unpause: ACTIVE ⇄ PAUSED; the guest's vCPUs stop, its QEMU process and memory stay.

public sealed record ServerPauseRequested(Guid ServerId, string Host) : IHostActionRequested
{
    public ServerAction Requested() => ServerAction.Pause;
}

public sealed record ServerPaused(Guid ServerId, string Host) : IHostActionCompleted
{
    public ServerAction Completed() => ServerAction.Pause;
}

public sealed record ServerUnpauseRequested(Guid ServerId, string Host) : IHostActionRequested
{
    public ServerAction Requested() => ServerAction.Unpause;
}

public sealed record ServerUnpaused(Guid ServerId, string Host) : IHostActionCompleted
{
    public ServerAction Completed() => ServerAction.Unpause;
}

public static class PauseEvents
{
    public static readonly IReadOnlyList<Type> All =
        [typeof(ServerPauseRequested), typeof(ServerPaused), typeof(ServerUnpauseRequested), typeof(ServerUnpaused)];
}
