namespace Nova.Store.Hosts;

/// <summary>
/// A compute service's liveness and operator switches (Nova's services table). Heartbeats
/// every 10 s are state, not history: they overwrite this document instead of growing a stream.
/// </summary>
public sealed class ComputeService
{
    /// <summary>The host name.</summary>
    public string Id { get; set; } = "";
    public int ServiceId { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public bool Enabled { get; set; } = true;
    public string? DisabledReason { get; set; }
    public bool ForcedDown { get; set; }
    public int RunningVms { get; set; }

    public static readonly TimeSpan DownAfter = TimeSpan.FromSeconds(60);

    public bool IsUp(DateTimeOffset now) => !ForcedDown && now - LastSeenAt < DownAfter;
}
