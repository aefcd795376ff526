using Mediator;
using Nova.Commands.Requests;
using Nova.ComputeRpc;
using Nova.Domain.Servers;
using Nova.Store.Operations;

namespace Nova.Commands.Servers.Reporting;

/// <summary>
/// A compute host reports what it did to an instance; the slice that owns the report says what it means.
/// Redeliveries and stale reports decide nothing, and then change nothing else either (no claim is released
/// for a deletion or failure that was not recorded). <paramref name="MessageId"/>, when the bus gives one, is
/// remembered with what it decided: the same report again is recognised even when the server's state would let
/// it decide something (a late "rebooted" arriving during the next reboot).
/// </summary>
public sealed record RecordInstanceReport(IHostReport Report, Guid? MessageId = null) : ICommand<ServerWrite>;

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
            if (command.MessageId is { } messageId)
            {
                if (await session.LoadAsync<ProcessedReport>(messageId, ct) is not null)
                    return new ServerWrite(report.ServerId, stream.CurrentVersion ?? 0);
                session.Insert(new ProcessedReport { Id = messageId, ServerId = report.ServerId, RecordedAt = clock.GetUtcNow() });
            }
            var events = ServerDecider.Decide(decision, stream.Aggregate);
            if (events.Count == 0)
            {
                if (command.MessageId is not null) await session.SaveChangesAsync(ct);
                return new ServerWrite(report.ServerId, stream.CurrentVersion ?? 0);
            }
            stream.AppendMany(events);
            await rule.Alongside(session, report, stream.Aggregate!, events, ct);
            await session.SaveChangesAsync(ct);
            return new ServerWrite(report.ServerId, (stream.StartingVersion ?? 0) + events.Count);
        });
    }
}
