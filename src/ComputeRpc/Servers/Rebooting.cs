using Nova.Domain.Servers;

namespace Nova.ComputeRpc;

public sealed record RebootInstance(Guid ServerId, RequestContext Request, RebootType Type) : IInstanceMessage;
public sealed record InstanceRebooted(Guid ServerId, RequestContext Request, string Host) : IHostReport;
