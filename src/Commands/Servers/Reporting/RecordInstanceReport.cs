using Mediator;
using Nova.Commands.Requests;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Reporting;

/// <summary>
/// A compute host reports what it did to an instance; the slice that owns the report says what it means.
/// Redeliveries and stale reports decide nothing, and then change nothing else either (no claim is released
/// for a deletion or failure that was not recorded).
/// </summary>
public sealed record RecordInstanceReport(IHostReport Report) : ICommand<ServerWrite>;

public sealed class RecordInstanceReportHandler(EventSessions sessions, HostReportRules rules, TimeProvider clock)
    : ICommandHandler<RecordInstanceReport, ServerWrite>
{
    public async ValueTask<ServerWrite> Handle(RecordInstanceReport command, CancellationToken ct)
    {
        var report = command.Report;
        var rule = rules.For(report);
        var decision = rule.Decide(report, clock.GetUtcNow());
        return await sessions.WithRetry(async session =>
        {
            var stream = await session.Events.FetchForWriting<Server>(report.ServerId, ct);
            var events = ServerDecider.Decide(decision, stream.Aggregate);
            if (events.Count == 0) return new ServerWrite(report.ServerId, stream.CurrentVersion ?? 0);
            stream.AppendMany(events);
            await rule.Alongside(session, report, stream.Aggregate!, events, ct);
            await session.SaveChangesAsync(ct);
            return new ServerWrite(report.ServerId, (stream.StartingVersion ?? 0) + events.Count);
        });
    }
}
