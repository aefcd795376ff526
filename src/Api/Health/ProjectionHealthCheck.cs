using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Nova.Projections.Progress;

namespace Nova.Api.Health;

/// <summary>
/// The projection daemon runs, no shard is paused, and no projection's oldest unprocessed event is older than
/// <c>Nova:Health:MaxProjectionLagSeconds</c> (default 30). Its data (each projection's position and lag) is
/// what <c>/healthz</c> has always shown.
/// </summary>
public sealed class ProjectionHealthCheck(IDocumentStore store, DaemonActivity activity, IConfiguration config) : IHealthCheck
{
    private readonly TimeSpan maxLag = TimeSpan.FromSeconds(config.GetValue("Nova:Health:MaxProjectionLagSeconds", 30.0));

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        EventStorePositions positions;
        try
        {
            positions = await ProjectionPositions.Read(store, ct);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy($"projection positions cannot be read: {e.Message}");
        }
        var problems = new List<string>();
        if (activity.Daemon is not { IsRunning: true }) problems.Add("the projection daemon is not running");
        else if (activity.Daemon.HasAnyPaused()) problems.Add("a projection shard is paused after errors");
        foreach (var p in positions.Projections.Where(p => p.Position is not null && p.LagAge > maxLag))
            problems.Add($"{p.Name} lags {p.LagEvents} events, {p.LagAge.TotalSeconds:0.0} s behind the event store");

        var data = new Dictionary<string, object>
        {
            ["daemon"] = new { running = activity.Daemon?.IsRunning ?? false, paused_shards = activity.Daemon?.HasAnyPaused() ?? false },
            ["highest_sequence"] = positions.HighestSequence,
            ["high_water_mark"] = positions.HighWaterMark,
            ["max_lag_seconds"] = maxLag.TotalSeconds,
            ["projections"] = positions.Projections.Where(p => p.Position is not null).Select(p => new
            {
                name = p.Name, kind = p.Kind, position = p.Position, lag_events = p.LagEvents,
                lag_seconds = Math.Round(p.LagAge.TotalSeconds, 3),
            }).ToList(),
            [HealthReportJson.ProblemsKey] = problems,
        };
        return problems.Count == 0
            ? HealthCheckResult.Healthy("projections are current", data)
            : HealthCheckResult.Unhealthy(string.Join("; ", problems), data: data);
    }
}
