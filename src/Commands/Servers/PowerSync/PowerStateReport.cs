using Nova.Commands.Servers.Reporting;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.PowerSync;

/// <summary>The host's power-state sync: the record follows the hypervisor when no task is in progress.</summary>
public sealed class PowerStateReport : IHostReportRule<InstancePowerStateObserved>
{
    public ServerCommand Decide(InstancePowerStateObserved report, DateTimeOffset now) => new ServerCommand.RecordPowerState(report.Host, report.Observed);
}
