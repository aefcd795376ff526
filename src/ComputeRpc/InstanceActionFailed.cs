using Nova.Domain.Servers;

namespace Nova.ComputeRpc;

/// <summary>A host could not carry out <paramref name="Action"/>: the task is cleared (or rolled back), the vm_state kept.</summary>
public sealed record InstanceActionFailed(Guid ServerId, RequestContext Request, string Host, ServerAction Action, string Message) : IHostReport;
