using Nova.Commands.Relay;
using Nova.Commands.Servers.Reporting;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Rebuilding;

public sealed class RebuildRequestedRelay : IRelayRule<ServerRebuildRequested>
{
    /// <summary>The new image may have to be downloaded to the host first.</summary>
    public TimeSpan Deadline => TimeSpan.FromMinutes(10);

    public async ValueTask<RelayedMessage?> Translate(ServerRebuildRequested e, RelayContext context, CancellationToken ct)
    {
        if (await context.CurrentServer(e.ServerId, ct) is not { } server || RebuildEvents.Order(server.TaskState) < 0) return null;
        return context.ToHost(e.Host, new RebuildInstance(e.ServerId, context.Request, server.Name, server.Flavor, e.ImageId,
            server.Networks, e.PreserveEphemeral, PowerOn: server.VmState != VmState.Stopped));
    }
}

public sealed class RebuildStepReport : IHostReportRule<InstanceRebuildStepStarted>
{
    public ServerCommand Decide(InstanceRebuildStepStarted report, DateTimeOffset now) => new ServerCommand.RecordRebuildStep(report.Host, report.Step);
}

public sealed class RebuiltReport : IHostReportRule<InstanceRebuilt>
{
    public ServerCommand Decide(InstanceRebuilt report, DateTimeOffset now) => new ServerCommand.RecordRebuilt(report.Host, now);
}
