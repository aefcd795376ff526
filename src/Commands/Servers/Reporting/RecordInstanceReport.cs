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
/// it decide something (a late "rebooted" arriving during the next reboot). A report that decided nothing is not
/// remembered (the power-state sync's observations would otherwise write a row each, every minute).
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
            var events = ServerDecider.Decide(decision, stream.Aggregate);
            if (events.Count == 0) return new ServerWrite(report.ServerId, stream.CurrentVersion ?? 0);
            stream.AppendMany(events);
            await rule.Alongside(session, report, stream.Aggregate!, events, ct);
            // The id goes in with the events (no extra round trip): a report recorded before fails the insert, and the
            // whole transaction with it, which is exactly "changes nothing".
            if (command.MessageId is { } messageId)
                session.Insert(new ProcessedReport { Id = messageId, ServerId = report.ServerId, RecordedAt = clock.GetUtcNow() });
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (Exception e) when (command.MessageId is not null && IsRecordedAlready(e))
            {
                return new ServerWrite(report.ServerId, stream.CurrentVersion ?? 0);
            }
            return new ServerWrite(report.ServerId, (stream.StartingVersion ?? 0) + events.Count);
        });
    }

    private static bool IsRecordedAlready(Exception e) =>
        e is JasperFx.DocumentAlreadyExistsException
        || e is Npgsql.PostgresException { SqlState: "23505" } p && p.TableName?.Contains("processedreport", StringComparison.Ordinal) == true
        || e.InnerException is { } inner && IsRecordedAlready(inner);
}
