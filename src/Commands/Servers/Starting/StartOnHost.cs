using Nova.Commands.Relay;
using Nova.Commands.Servers.Reporting;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Starting;

public sealed class StartRequestedRelay : IRelayRule<ServerStartRequested>
{
    public ValueTask<RelayedMessage?> Translate(ServerStartRequested e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult<RelayedMessage?>(context.ToHost(e.Host, new StartInstance(e.ServerId, context.Request)));
}

public sealed class StartedReport : IHostReportRule<InstanceStarted>
{
    public ServerCommand Decide(InstanceStarted report, DateTimeOffset now) => new ServerCommand.RecordStarted(report.Host);
}
