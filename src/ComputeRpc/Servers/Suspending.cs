namespace Nova.ComputeRpc;

public sealed record SuspendInstance(Guid ServerId, RequestContext Request) : IInstanceMessage;
public sealed record InstanceSuspended(Guid ServerId, RequestContext Request, string Host) : IHostReport;
public sealed record ResumeInstance(Guid ServerId, RequestContext Request) : IInstanceMessage;
public sealed record InstanceResumed(Guid ServerId, RequestContext Request, string Host) : IHostReport;
