using Nova.Domain.Servers;

namespace Nova.ComputeRpc;

/// <summary>The host's periodic look at an instance's power state (Nova's sync_power_states).</summary>
public sealed record InstancePowerStateObserved(Guid ServerId, RequestContext Request, string Host, PowerState Observed) : IHostReport;
