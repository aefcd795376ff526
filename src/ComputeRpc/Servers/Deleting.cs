namespace Nova.ComputeRpc;

public sealed record TerminateInstance(Guid ServerId, RequestContext Request) : IInstanceMessage;
public sealed record InstanceTerminated(Guid ServerId, RequestContext Request, string Host) : IHostReport;
