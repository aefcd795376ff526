using Mediator;
using Nova.Commands.Hosts;
using Nova.Commands.Quotas;
using Nova.Commands.ServerGroups;
using Nova.Commands.Requests;
using Nova.Domain.Compute;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Reporting;

/// <summary>
/// A compute host reports what it did to an instance. Redeliveries and stale reports decide
/// nothing; a failed build or a finished teardown also releases the claim on that host.
/// </summary>
public sealed record RecordInstanceReport(IInstanceMessage Report) : ICommand<ServerWrite>;

public sealed class RecordInstanceReportHandler(EventSessions sessions, TimeProvider clock) : ICommandHandler<RecordInstanceReport, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(RecordInstanceReport command, CancellationToken ct)
    {
        var (decision, onHost) = Translate(command.Report, clock.GetUtcNow());
        var host = HostOf(command.Report);
        return await sessions.WithRetry(async session =>
        {
            var stream = await session.Events.FetchForWriting<Server>(command.Report.ServerId, ct);
            var events = ServerDecider.Decide(decision, stream.Aggregate);
            stream.AppendMany(events);
            if (events.OfType<ServerDeleted>().Any() && stream.Aggregate is { } deleted)
            {
                await ProjectQuotas.Release(session, deleted.ProjectId, deleted.Id, ct);
                if (deleted.GroupId is { } group) await ServerGroupMembership.Leave(session, group, deleted.Id, ct);
            }
            switch (onHost)
            {
                case HostEffect.Release:
                    await HostClaims.Release(session, host, command.Report.ServerId, buildFailed: false, ct);
                    break;
                case HostEffect.ReleaseFailedBuild:
                    await HostClaims.Release(session, host, command.Report.ServerId, buildFailed: true, ct);
                    break;
                case HostEffect.BuildSucceeded when events.Count > 0:
                    await HostClaims.RecordBuildSucceeded(session, host, ct);
                    break;
            }
            await session.SaveChangesAsync(ct);
            return new ServerWrite(command.Report.ServerId, (stream.StartingVersion ?? 0) + events.Count);
        });
    }

    /// <summary>What a report means for the host it came from, besides the server's own events.</summary>
    private enum HostEffect { None, Release, ReleaseFailedBuild, BuildSucceeded }

    private static string HostOf(IInstanceMessage report) => report switch
    {
        InstanceBuildStepStarted r => r.Host,
        InstanceBuilt r => r.Host,
        InstanceBuildFailed r => r.Host,
        InstanceStopped r => r.Host,
        InstanceStarted r => r.Host,
        InstanceRebooted r => r.Host,
        InstanceActionFailed r => r.Host,
        InstanceTerminated r => r.Host,
        InstancePowerStateObserved r => r.Host,
        _ => throw new ArgumentOutOfRangeException(nameof(report), report.GetType().Name, "not a host report"),
    };

    private static (ServerCommand Decision, HostEffect OnHost) Translate(IInstanceMessage report, DateTimeOffset now) => report switch
    {
        InstanceBuildStepStarted r => (new ServerCommand.RecordBuildStep(r.Host, r.Step), HostEffect.None),
        InstanceBuilt r => (new ServerCommand.RecordBuilt(r.Host, r.LaunchedAt), HostEffect.BuildSucceeded),
        InstanceBuildFailed r => (new ServerCommand.RecordBuildFailed(r.Host, new ServerFault(500, r.Message, r.Details), r.Retryable),
            HostEffect.ReleaseFailedBuild),
        InstanceStopped r => (new ServerCommand.RecordStopped(r.Host), HostEffect.None),
        InstanceStarted r => (new ServerCommand.RecordStarted(r.Host), HostEffect.None),
        InstanceRebooted r => (new ServerCommand.RecordRebooted(r.Host), HostEffect.None),
        InstanceActionFailed r => (new ServerCommand.RecordActionFailed(r.Host, r.Action, r.Message), HostEffect.None),
        InstanceTerminated r => (new ServerCommand.RecordDeleted(r.Host, now), HostEffect.Release),
        InstancePowerStateObserved r => (new ServerCommand.RecordPowerState(r.Host, r.Observed), HostEffect.None),
        _ => throw new ArgumentOutOfRangeException(nameof(report), report.GetType().Name, "not a host report"),
    };
}
