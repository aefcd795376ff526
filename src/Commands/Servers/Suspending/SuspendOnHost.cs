using Nova.Commands.Relay;
using Nova.Commands.Servers.Reporting;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Suspending;

public sealed class ServerSuspendRequestedRelay : IRelayRule<ServerSuspendRequested>
{
    public ValueTask<RelayedMessage?> Translate(ServerSuspendRequested e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult<RelayedMessage?>(context.ToHost(e.Host, new SuspendInstance(e.ServerId, context.Request)));
}

public sealed class InstanceSuspendedReport : IHostReportRule<InstanceSuspended>
{
    public ServerCommand Decide(InstanceSuspended report, DateTimeOffset now) => new ServerCommand.RecordSuspended(report.Host);
}

public sealed class ServerResumeRequestedRelay : IRelayRule<ServerResumeRequested>
{
    public ValueTask<RelayedMessage?> Translate(ServerResumeRequested e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult<RelayedMessage?>(context.ToHost(e.Host, new ResumeInstance(e.ServerId, context.Request)));
}

public sealed class InstanceResumedReport : IHostReportRule<InstanceResumed>
{
    public ServerCommand Decide(InstanceResumed report, DateTimeOffset now) => new ServerCommand.RecordResumed(report.Host);
}
