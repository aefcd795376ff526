using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nova.Store.Operations;

namespace Nova.Commands.Servers.Reporting;

/// <summary>
/// Forgets recorded report ids after a week, hourly: no host sends a report again that long after (a host's journal
/// forgets its operations after the same week), and the table stays small.
/// </summary>
public sealed class ProcessedReportPruning(IDocumentStore store, TimeProvider clock, ILogger<ProcessedReportPruning> log) : BackgroundService
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var cutoff = clock.GetUtcNow() - Retention;
                await using var session = store.LightweightSession();
                session.DeleteWhere<ProcessedReport>(r => r.RecordedAt < cutoff);
                await session.SaveChangesAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Pruning of recorded report ids failed, the next hour tries again: {Error}", e.Message);
            }
        }
    }
}
