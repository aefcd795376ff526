namespace Nova.ComputeRpc;

public sealed record PauseInstance(Guid ServerId, RequestContext Request) : IInstanceMessage;
public sealed record InstancePaused(Guid ServerId, RequestContext Request, string Host) : IHostReport;
public sealed record UnpauseInstance(Guid ServerId, RequestContext Request) : IInstanceMessage;
public sealed record InstanceUnpaused(Guid ServerId, RequestContext Request, string Host) : IHostReport;
