using System.Globalization;
using System.Text;
using Marten;
using Nova.Projections.Progress;

namespace Nova.Api.Health;

/// <summary>
/// <c>GET /metrics</c>: each projection's position and lag and request counts in Prometheus' text format,
/// unauthenticated, one indexed query. The health endpoints are in <see cref="HealthSetup"/>.
/// </summary>
public static class HealthEndpoints
{
    public static void MapHealth(this WebApplication app)
    {
        app.MapHealthChecks();
        app.MapGet("/metrics", async (IDocumentStore store, DaemonActivity activity, HttpRequestCounts requests, CancellationToken ct) =>
        {
            var positions = await ProjectionPositions.Read(store, ct);
            return Results.Text(Metrics(positions, activity, requests), "text/plain; version=0.0.4; charset=utf-8");
        });
    }

    private static string Metrics(EventStorePositions positions, DaemonActivity activity, HttpRequestCounts requests)
    {
        var text = new StringBuilder();
        var shards = positions.Projections.Where(p => p.Position is not null).ToList();
        void Family(string name, string type, string help)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        }
        void Sample(string name, string labels, double value) =>
            text.Append(name).Append(labels.Length > 0 ? "{" + labels + "}" : "").Append(' ')
                .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        string Shard(ProjectionPosition p) => $"projection=\"{p.Name}\",kind=\"{p.Kind}\"";

        Family("nova_event_store_highest_sequence", "gauge", "Highest event sequence in the store.");
        Sample("nova_event_store_highest_sequence", "", positions.HighestSequence);
        Family("nova_projection_daemon_running", "gauge", "1 when the async projection daemon runs in this process.");
        Sample("nova_projection_daemon_running", "", activity.Daemon?.IsRunning == true ? 1 : 0);
        Family("nova_projection_position", "gauge", "Last event sequence a projection or subscription has processed.");
        foreach (var p in shards) Sample("nova_projection_position", Shard(p), p.Position!.Value);
        Family("nova_projection_lag_events", "gauge", "Events appended after a projection's position.");
        foreach (var p in shards) Sample("nova_projection_lag_events", Shard(p), p.LagEvents);
        Family("nova_projection_lag_seconds", "gauge", "Age of the oldest event a projection has not processed yet.");
        foreach (var p in shards) Sample("nova_projection_lag_seconds", Shard(p), Math.Round(p.LagAge.TotalSeconds, 3));
        Family("nova_projection_events_processed_total", "counter", "Event sequence numbers a shard has advanced through in this process.");
        foreach (var p in shards) Sample("nova_projection_events_processed_total", Shard(p), activity.Processed.GetValueOrDefault(p.Name));
        Family("nova_projection_errors_total", "counter", "Times a shard paused or stopped on an error in this process.");
        foreach (var p in shards) Sample("nova_projection_errors_total", Shard(p), activity.Errors.GetValueOrDefault(p.Name));
        Family("nova_http_requests_total", "counter", "HTTP requests answered, by status code.");
        foreach (var (code, count) in requests.ByStatus.OrderBy(c => c.Key)) Sample("nova_http_requests_total", $"code=\"{code}\"", count);
        return text.ToString();
    }
}
