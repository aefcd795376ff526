using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Nova.Api.Health;

/// <summary>
/// The body of <c>/healthz</c>, <c>/healthz/ready</c> and <c>/healthz/live</c>: <c>status</c> (<c>ok</c> or
/// <c>failing</c>), <c>problems</c> (one sentence per failing check), <c>checks</c> (each check's name, status,
/// description and duration) and the checks' own figures (the projections' positions and lag) at the top level.
/// </summary>
public static class HealthReportJson
{
    /// <summary>A check's data entry holding its problems one by one (otherwise its description is the problem).</summary>
    public const string ProblemsKey = "problems";

    public static Task Write(HttpContext http, HealthReport report)
    {
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status == HealthStatus.Unhealthy ? "failing" : "ok",
        };
        var problems = new List<string>();
        foreach (var (name, entry) in report.Entries)
        {
            if (entry.Status != HealthStatus.Healthy)
            {
                if (entry.Data.TryGetValue(ProblemsKey, out var listed) && listed is IEnumerable<string> each) problems.AddRange(each);
                else problems.Add(entry.Description ?? entry.Exception?.Message ?? $"{name} is {entry.Status}");
            }
            foreach (var (key, value) in entry.Data.Where(d => d.Key != ProblemsKey)) body[key] = value;
        }
        body["problems"] = problems;
        body["checks"] = report.Entries.Select(e => new
        {
            name = e.Key,
            status = e.Value.Status.ToString().ToLowerInvariant(),
            description = e.Value.Description ?? e.Value.Exception?.Message,
            duration_ms = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
        }).ToList();
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };
}
