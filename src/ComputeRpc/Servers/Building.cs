using Nova.Domain.Flavors;
using Nova.Domain.Servers;

namespace Nova.ComputeRpc;

/// <summary>Control plane → scheduler: find a host for a server that needs one (a build, an unshelve).</summary>
public sealed record ScheduleInstance(Guid ServerId, RequestContext Request) : IInstanceMessage;

/// <summary>Control plane → the chosen host.</summary>
public sealed record BuildAndRunInstance(
    Guid ServerId, RequestContext Request, string Name, FlavorSpec Flavor, string ImageId, string Networks) : IInstanceMessage;

public sealed record InstanceBuildStepStarted(Guid ServerId, RequestContext Request, string Host, TaskState Step) : IHostReport;
public sealed record InstanceBuilt(Guid ServerId, RequestContext Request, string Host, DateTimeOffset LaunchedAt) : IHostReport;
/// <summary><paramref name="Retryable"/>: the hypervisor failed (another host may succeed), not the request.</summary>
public sealed record InstanceBuildFailed(Guid ServerId, RequestContext Request, string Host, string Message, string? Details, bool Retryable = true)
    : IHostReport;
