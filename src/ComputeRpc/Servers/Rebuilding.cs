using Nova.Domain.Flavors;
using Nova.Domain.Servers;

namespace Nova.ComputeRpc;

/// <summary>
/// Replace the instance's disk with a fresh one from <paramref name="ImageId"/> and boot it (same flavor, same host);
/// <paramref name="PowerOn"/> is false for a server that was stopped, which stays stopped. Failures are
/// <see cref="InstanceActionFailed"/> with <see cref="ServerAction.Rebuild"/>.
/// </summary>
public sealed record RebuildInstance(
    Guid ServerId, RequestContext Request, string Name, FlavorSpec Flavor, string ImageId, string Networks,
    bool PreserveEphemeral, bool PowerOn) : IInstanceMessage;
public sealed record InstanceRebuildStepStarted(Guid ServerId, RequestContext Request, string Host, TaskState Step) : IHostReport;
public sealed record InstanceRebuilt(Guid ServerId, RequestContext Request, string Host) : IHostReport;
