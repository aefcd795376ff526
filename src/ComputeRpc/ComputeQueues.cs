namespace Nova.ComputeRpc;

/// <summary>Queue names, shared by both ends; a prefix isolates several control planes on one broker.</summary>
public sealed record ComputeQueues(string Prefix = "")
{
    public string Scheduler => Prefix + "scheduler";
    public string Conductor => Prefix + "conductor";
    public string Host(string host) => Prefix + "compute." + host;

    /// <summary>MassTransit's address of a queue (a send endpoint).</summary>
    public static Uri Address(string queue) => new($"queue:{queue}");

    public Uri ConductorAddress => Address(Conductor);
    public Uri SchedulerAddress => Address(Scheduler);
    public Uri HostAddress(string host) => Address(Host(host));
}
