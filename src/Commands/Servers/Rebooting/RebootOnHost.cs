using Nova.Commands.Relay;
using Nova.Commands.Servers.Reporting;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Rebooting;

public sealed class RebootRequestedRelay : IRelayRule<ServerRebootRequested>
{
    public ValueTask<RelayedMessage?> Translate(ServerRebootRequested e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult<RelayedMessage?>(context.ToHost(e.Host, new RebootInstance(e.ServerId, context.Request, e.Type)));
}

public sealed class RebootedReport : IHostReportRule<InstanceRebooted>
{
    public ServerCommand Decide(InstanceRebooted report, DateTimeOffset now) => new ServerCommand.RecordRebooted(report.Host);
}
