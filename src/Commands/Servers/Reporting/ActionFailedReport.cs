using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Reporting;

/// <summary>Any action a host could not carry out: the decider ends its task as the action's rule says.</summary>
public sealed class ActionFailedReport : IHostReportRule<InstanceActionFailed>
{
    public ServerCommand Decide(InstanceActionFailed report, DateTimeOffset now) =>
        new ServerCommand.RecordActionFailed(report.Host, report.Action, report.Message);
}
