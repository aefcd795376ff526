namespace Nova.ComputeRpc;

public sealed record StartInstance(Guid ServerId, RequestContext Request) : IInstanceMessage;
public sealed record InstanceStarted(Guid ServerId, RequestContext Request, string Host) : IHostReport;
