using Nova.Domain.Flavors;
using Nova.Domain.Hosts;
using Nova.Domain.Servers;

namespace Nova.Domain.Compute;

// The bus contract between the control plane and compute hosts: plain records, carried by
// RabbitMQ at least once, so every receiver treats a redelivery as a no-op.
// RequestId/UserId/ProjectId carry the originating API request into the host's reports.

/// <summary>Who and which API request an instance operation belongs to.</summary>
public sealed record RequestContext(string RequestId, string UserId, string ProjectId);

public interface IInstanceMessage
{
    Guid ServerId { get; }
    RequestContext Request { get; }
}

// Control plane → scheduler
public sealed record ScheduleInstance(Guid ServerId, RequestContext Request) : IInstanceMessage;

// Control plane → the server's host (queue compute.HOST); names follow Nova's compute RPC API
public sealed record BuildAndRunInstance(
    Guid ServerId, RequestContext Request, string Name, FlavorSpec Flavor, string ImageId, string Networks) : IInstanceMessage;
public sealed record StopInstance(Guid ServerId, RequestContext Request) : IInstanceMessage;
public sealed record StartInstance(Guid ServerId, RequestContext Request) : IInstanceMessage;
public sealed record RebootInstance(Guid ServerId, RequestContext Request, RebootType Type) : IInstanceMessage;
public sealed record TerminateInstance(Guid ServerId, RequestContext Request) : IInstanceMessage;

/// <summary>A question to the server's host (request/response): its console log.</summary>
public sealed record GetConsoleOutput(Guid ServerId, RequestContext Request, int? Lines) : IInstanceMessage;
public sealed record ConsoleOutput(Guid ServerId, string Output, string? Error);

// Host → conductor
public sealed record InstanceBuildStepStarted(Guid ServerId, RequestContext Request, string Host, TaskState Step) : IInstanceMessage;
public sealed record InstanceBuilt(Guid ServerId, RequestContext Request, string Host, DateTimeOffset LaunchedAt) : IInstanceMessage;
/// <summary><paramref name="Retryable"/>: the hypervisor failed (another host may succeed), not the request.</summary>
public sealed record InstanceBuildFailed(Guid ServerId, RequestContext Request, string Host, string Message, string? Details, bool Retryable = true)
    : IInstanceMessage;
public sealed record InstanceStopped(Guid ServerId, RequestContext Request, string Host) : IInstanceMessage;
public sealed record InstanceStarted(Guid ServerId, RequestContext Request, string Host) : IInstanceMessage;
public sealed record InstanceRebooted(Guid ServerId, RequestContext Request, string Host) : IInstanceMessage;
public sealed record InstanceActionFailed(Guid ServerId, RequestContext Request, string Host, ServerAction Action, string Message) : IInstanceMessage;
/// <summary>The host's periodic look at an instance's power state.</summary>
public sealed record InstancePowerStateObserved(Guid ServerId, RequestContext Request, string Host, PowerState Observed) : IInstanceMessage;
public sealed record InstanceTerminated(Guid ServerId, RequestContext Request, string Host) : IInstanceMessage;

/// <summary>
/// A host's periodic report: registers it, updates its inventory and claimable capacity
/// (after its allocation ratios and reservations), and is its heartbeat.
/// </summary>
public sealed record ComputeHostReport(
    string Host, HostResources Inventory, HostResources Capacity, int RunningVms,
    string HypervisorType, string HypervisorVersion, DateTimeOffset ReportedAt, string AvailabilityZone = "nova");

/// <summary>Queue names, shared by both ends; a prefix isolates several control planes on one broker.</summary>
public sealed record ComputeQueues(string Prefix = "")
{
    public string Scheduler => Prefix + "scheduler";
    public string Conductor => Prefix + "conductor";
    public string Host(string host) => Prefix + "compute." + host;
}
