using Nova.Commands.Relay;
using Nova.Commands.Servers.Reporting;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Stopping;

public sealed class StopRequestedRelay : IRelayRule<ServerStopRequested>
{
    public ValueTask<RelayedMessage?> Translate(ServerStopRequested e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult<RelayedMessage?>(context.ToHost(e.Host, new StopInstance(e.ServerId, context.Request)));
}

public sealed class StoppedReport : IHostReportRule<InstanceStopped>
{
    public ServerCommand Decide(InstanceStopped report, DateTimeOffset now) => new ServerCommand.RecordStopped(report.Host);
}
