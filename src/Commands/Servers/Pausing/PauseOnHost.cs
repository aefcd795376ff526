using Nova.Commands.Relay;
using Nova.Commands.Servers.Reporting;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Pausing;

public sealed class ServerPauseRequestedRelay : IRelayRule<ServerPauseRequested>
{
    public ValueTask<RelayedMessage?> Translate(ServerPauseRequested e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult<RelayedMessage?>(context.ToHost(e.Host, new PauseInstance(e.ServerId, context.Request)));
}

public sealed class InstancePausedReport : IHostReportRule<InstancePaused>
{
    public ServerCommand Decide(InstancePaused report, DateTimeOffset now) => new ServerCommand.RecordPaused(report.Host);
}

public sealed class ServerUnpauseRequestedRelay : IRelayRule<ServerUnpauseRequested>
{
    public ValueTask<RelayedMessage?> Translate(ServerUnpauseRequested e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult<RelayedMessage?>(context.ToHost(e.Host, new UnpauseInstance(e.ServerId, context.Request)));
}

public sealed class InstanceUnpausedReport : IHostReportRule<InstanceUnpaused>
{
    public ServerCommand Decide(InstanceUnpaused report, DateTimeOffset now) => new ServerCommand.RecordUnpaused(report.Host);
}
