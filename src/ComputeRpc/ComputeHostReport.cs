using Nova.Domain.Hosts;

namespace Nova.ComputeRpc;

/// <summary>
/// A host's periodic report: registers it, updates its inventory and claimable capacity
/// (after its allocation ratios and reservations), and is its heartbeat.
/// </summary>
public sealed record ComputeHostReport(
    string Host, HostResources Inventory, HostResources Capacity, int RunningVms,
    string HypervisorType, string HypervisorVersion, DateTimeOffset ReportedAt, string AvailabilityZone = "nova");
