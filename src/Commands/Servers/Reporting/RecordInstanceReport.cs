using Mediator;
using Nova.Commands.Hosts;
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
        var (decision, releaseOn) = Translate(command.Report, clock.GetUtcNow());
        return await sessions.WithRetry(async session =>
        {
            var stream = await session.Events.FetchForWriting<Server>(command.Report.ServerId, ct);
            var events = ServerDecider.Decide(decision, stream.Aggregate);
            stream.AppendMany(events);
            if (releaseOn is not null) await HostClaims.Release(session, releaseOn, command.Report.ServerId, ct);
            await session.SaveChangesAsync(ct);
            return new ServerWrite(command.Report.ServerId, (stream.StartingVersion ?? 0) + events.Count);
        });
    }

    private static (ServerCommand Decision, string? ReleaseOn) Translate(IInstanceMessage report, DateTimeOffset now) => report switch
    {
        InstanceBuildStepStarted r => (new ServerCommand.RecordBuildStep(r.Host, r.Step), null),
        InstanceBuilt r => (new ServerCommand.RecordBuilt(r.Host, r.LaunchedAt), null),
        InstanceBuildFailed r => (new ServerCommand.RecordBuildFailed(r.Host, new ServerFault(500, r.Message, r.Details)), r.Host),
        InstanceStopped r => (new ServerCommand.RecordStopped(r.Host), null),
        InstanceStarted r => (new ServerCommand.RecordStarted(r.Host), null),
        InstanceRebooted r => (new ServerCommand.RecordRebooted(r.Host), null),
        InstanceActionFailed r => (new ServerCommand.RecordActionFailed(r.Host, r.Action, r.Message), null),
        InstanceTerminated r => (new ServerCommand.RecordDeleted(r.Host, now), r.Host),
        _ => throw new ArgumentOutOfRangeException(nameof(report), report.GetType().Name, "not a host report"),
    };
}
