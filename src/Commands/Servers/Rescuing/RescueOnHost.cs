using Nova.Commands.Relay;
using Nova.Commands.Servers.Reporting;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Rescuing;

/// <summary>The host gets what the server was built from, so it can rebuild the rescue domain around the server's own disk.</summary>
public sealed class RescueRequestedRelay : IRelayRule<ServerRescueRequested>
{
    public async ValueTask<RelayedMessage?> Translate(ServerRescueRequested e, RelayContext context, CancellationToken ct)
    {
        if (await context.CurrentServer(e.ServerId, ct) is not { } server) return null;
        return context.ToHost(e.Host, new RescueInstance(e.ServerId, context.Request, server.Name, server.Flavor, server.ImageId,
            server.Networks, e.RescueImageId));
    }
}

public sealed class RescuedReport : IHostReportRule<InstanceRescued>
{
    public ServerCommand Decide(InstanceRescued report, DateTimeOffset now) => new ServerCommand.RecordRescued(report.Host);
}

public sealed class UnrescueRequestedRelay : IRelayRule<ServerUnrescueRequested>
{
    public ValueTask<RelayedMessage?> Translate(ServerUnrescueRequested e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult<RelayedMessage?>(context.ToHost(e.Host, new UnrescueInstance(e.ServerId, context.Request)));
}

public sealed class UnrescuedReport : IHostReportRule<InstanceUnrescued>
{
    public ServerCommand Decide(InstanceUnrescued report, DateTimeOffset now) => new ServerCommand.RecordUnrescued(report.Host);
}
