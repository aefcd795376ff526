using Nova.Domain.Flavors;
using Nova.Domain.Servers;

namespace Nova.ComputeRpc;

// Nova's resize_instance → finish_resize → confirm_resize / revert_resize → finish_revert_resize, one message each.
// The disk moves between hosts as a transfer image in the registry (no host-to-host copy channel is needed).

/// <summary>The source: power the guest off and hand its disk over as image <paramref name="TransferImageId"/>.</summary>
public sealed record ResizeInstance(Guid ServerId, RequestContext Request, Guid TransferImageId, string TargetHost) : IInstanceMessage;

/// <summary>
/// The target: the guest with <paramref name="Flavor"/> from the handed-over disk; started when <paramref name="PowerOn"/>.
/// <paramref name="SameHost"/>: target and source are one host, whose old guest is kept aside for a revert.
/// </summary>
public sealed record FinishResizeInstance(
    Guid ServerId, RequestContext Request, string Name, FlavorSpec Flavor, Guid TransferImageId, string Networks,
    bool PowerOn, bool SameHost) : IInstanceMessage;

/// <summary>The source, after confirmResize: its old guest goes.</summary>
public sealed record ConfirmResizeInstance(Guid ServerId, RequestContext Request, bool SameHost) : IInstanceMessage;

/// <summary>
/// The target, after revertResize: its new guest goes. On one host the old one comes back in the same step, running when
/// <paramref name="PowerOn"/>, and the host reports the revert done rather than the target let go.
/// </summary>
public sealed record RevertResizeInstance(Guid ServerId, RequestContext Request, bool SameHost, bool PowerOn = false) : IInstanceMessage;

/// <summary>The source, once the target let go: its guest runs again with the old flavor (when it ran before).</summary>
public sealed record FinishRevertResizeInstance(Guid ServerId, RequestContext Request, bool PowerOn) : IInstanceMessage;

public sealed record InstanceResizeStepStarted(Guid ServerId, RequestContext Request, string Host, TaskState Step) : IHostReport;
public sealed record InstanceResizeMigrated(Guid ServerId, RequestContext Request, string Host) : IHostReport;
public sealed record InstanceResized(Guid ServerId, RequestContext Request, string Host) : IHostReport;
public sealed record InstanceResizeConfirmed(Guid ServerId, RequestContext Request, string Host) : IHostReport;
public sealed record InstanceResizeRolledBack(Guid ServerId, RequestContext Request, string Host) : IHostReport;
public sealed record InstanceResizeReverted(Guid ServerId, RequestContext Request, string Host) : IHostReport;
/// <summary>A host could not do its step; it undid what it had done before reporting.</summary>
public sealed record InstanceResizeFailed(Guid ServerId, RequestContext Request, string Host, string Message) : IHostReport;
