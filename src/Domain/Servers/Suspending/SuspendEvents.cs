namespace Nova.Domain.Servers;

// suspend / resume: ACTIVE ⇄ SUSPENDED; the guest's memory goes to disk and its QEMU process ends.

public sealed record ServerSuspendRequested(Guid ServerId, string Host) : IHostActionRequested
{
    public ServerAction Requested() => ServerAction.Suspend;
}

public sealed record ServerSuspended(Guid ServerId, string Host) : IHostActionCompleted
{
    public ServerAction Completed() => ServerAction.Suspend;
}

public sealed record ServerResumeRequested(Guid ServerId, string Host) : IHostActionRequested
{
    public ServerAction Requested() => ServerAction.Resume;
}

public sealed record ServerResumed(Guid ServerId, string Host) : IHostActionCompleted
{
    public ServerAction Completed() => ServerAction.Resume;
}

public static class SuspendEvents
{
    public static readonly IReadOnlyList<Type> All =
        [typeof(ServerSuspendRequested), typeof(ServerSuspended), typeof(ServerResumeRequested), typeof(ServerResumed)];
}
