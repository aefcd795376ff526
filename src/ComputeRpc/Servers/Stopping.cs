namespace Nova.ComputeRpc;

public sealed record StopInstance(Guid ServerId, RequestContext Request) : IInstanceMessage;
public sealed record InstanceStopped(Guid ServerId, RequestContext Request, string Host) : IHostReport;
