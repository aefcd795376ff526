using Marten;
using Nova.Commands.Hosts;
using Nova.Commands.Relay;
using Nova.Commands.Servers.Reporting;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Building;

/// <summary>The scheduler chose a host: it builds the server.</summary>
public sealed class ScheduledRelay : IRelayRule<ServerScheduled>
{
    /// <summary>A build may download and convert its image first.</summary>
    public TimeSpan Deadline => TimeSpan.FromMinutes(10);

    public async ValueTask<RelayedMessage?> Translate(ServerScheduled e, RelayContext context, CancellationToken ct)
    {
        var server = await context.CurrentServer(e.ServerId, ct);
        // Deleted before the build went out: the host gets only the teardown. Rescheduled away from this host (or built
        // already, when the relay reads a page again): the build is not this host's to do, and a second copy would run a
        // guest without a claim.
        if (server is null || server.TaskState == TaskState.Deleting || server.VmState != VmState.Building || server.Host != e.Host)
            return null;
        return context.ToHost(e.Host, new BuildAndRunInstance(e.ServerId, context.Request, server.Name, server.Flavor,
            server.ImageId, server.Networks));
    }
}

public sealed class BuildStepReport : IHostReportRule<InstanceBuildStepStarted>
{
    public ServerCommand Decide(InstanceBuildStepStarted report, DateTimeOffset now) => new ServerCommand.RecordBuildStep(report.Host, report.Step);
}

/// <summary>A build that succeeded clears the host's recent build failures (the scheduler's weigher).</summary>
public sealed class BuiltReport : IHostReportRule<InstanceBuilt>
{
    public ServerCommand Decide(InstanceBuilt report, DateTimeOffset now) => new ServerCommand.RecordBuilt(report.Host, report.LaunchedAt);

    public Task Alongside(IDocumentSession session, InstanceBuilt report, Server before, IReadOnlyList<object> events, CancellationToken ct) =>
        HostClaims.RecordBuildSucceeded(session, report.Host, ct);
}

/// <summary>A failed build (rescheduled or final) gives its claim on that host back, counted as a build failure.</summary>
public sealed class BuildFailedReport : IHostReportRule<InstanceBuildFailed>
{
    public ServerCommand Decide(InstanceBuildFailed report, DateTimeOffset now) =>
        new ServerCommand.RecordBuildFailed(report.Host, new ServerFault(500, report.Message, report.Details), report.Retryable);

    public Task Alongside(IDocumentSession session, InstanceBuildFailed report, Server before, IReadOnlyList<object> events, CancellationToken ct) =>
        HostClaims.Release(session, report.Host, report.ServerId, buildFailed: true, ct);
}
