using Nova.Domain.Flavors;

namespace Nova.ComputeRpc;

/// <summary>Boot the instance from <paramref name="RescueImageId"/>, its own disk second; what it was built from comes along.</summary>
public sealed record RescueInstance(
    Guid ServerId, RequestContext Request, string Name, FlavorSpec Flavor, string ImageId, string Networks, string RescueImageId) : IInstanceMessage;
public sealed record InstanceRescued(Guid ServerId, RequestContext Request, string Host) : IHostReport;
public sealed record UnrescueInstance(Guid ServerId, RequestContext Request) : IInstanceMessage;
public sealed record InstanceUnrescued(Guid ServerId, RequestContext Request, string Host) : IHostReport;
