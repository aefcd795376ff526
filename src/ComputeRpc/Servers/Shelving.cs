using Nova.Domain.Flavors;
using Nova.Domain.Servers;

namespace Nova.ComputeRpc;

/// <summary>Power the instance off and store its disk as image <paramref name="ImageId"/>.</summary>
public sealed record ShelveInstance(Guid ServerId, RequestContext Request, Guid ImageId) : IInstanceMessage;
public sealed record InstanceShelveStepStarted(Guid ServerId, RequestContext Request, string Host, TaskState Step) : IHostReport;
public sealed record InstanceShelved(Guid ServerId, RequestContext Request, string Host) : IHostReport;
public sealed record InstanceShelveFailed(Guid ServerId, RequestContext Request, string Host, string Message) : IHostReport;

/// <summary>Remove everything of the shelved instance from the host.</summary>
public sealed record ShelveOffloadInstance(Guid ServerId, RequestContext Request) : IInstanceMessage;
public sealed record InstanceShelveOffloaded(Guid ServerId, RequestContext Request, string Host) : IHostReport;

/// <summary>
/// Bring the instance back: powered on where it is still defined (shelved), else spawned from its shelve image
/// <paramref name="ImageId"/> (offloaded, on the host the scheduler chose).
/// </summary>
public sealed record UnshelveInstance(
    Guid ServerId, RequestContext Request, string Name, FlavorSpec Flavor, string ImageId, string Networks) : IInstanceMessage;
public sealed record InstanceUnshelved(Guid ServerId, RequestContext Request, string Host) : IHostReport;
public sealed record InstanceUnshelveFailed(Guid ServerId, RequestContext Request, string Host, string Message, string? Details) : IHostReport;
