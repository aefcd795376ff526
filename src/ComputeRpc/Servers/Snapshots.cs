using Nova.Domain.Servers;

namespace Nova.ComputeRpc;

/// <summary>
/// Store the instance's root disk as image <paramref name="ImageId"/> (queued in the registry); <paramref name="Action"/>
/// is createImage or createBackup. Failures are <see cref="InstanceActionFailed"/> with that action.
/// </summary>
public sealed record SnapshotInstance(Guid ServerId, RequestContext Request, Guid ImageId, ServerAction Action) : IInstanceMessage;
public sealed record InstanceSnapshotStepStarted(Guid ServerId, RequestContext Request, string Host, TaskState Step) : IHostReport;
public sealed record InstanceSnapshotted(Guid ServerId, RequestContext Request, string Host) : IHostReport;
