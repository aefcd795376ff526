using System.Globalization;
using Marten;
using Nova.Api.Http;
using Nova.Store.Hosts;

namespace Nova.Api.Usage;

/// <summary>
/// /os-instance_usage_audit_log (admin): Nova's report of its periodic usage-audit task per compute host. This control
/// plane runs no such task (its usage is exact from the events, see <see cref="TenantUsageEndpoints"/>), so it answers
/// what Nova answers when the task ran nowhere: the last completed period (Nova's default, a month), every compute host
/// not run, nothing done.
/// </summary>
public static class InstanceUsageAuditLogEndpoints
{
    private static readonly string[] BeforeFormats =
    [
        "yyyy-MM-dd HH:mm:ss",
        .. Enumerable.Range(1, 6).Select(n => "yyyy-MM-dd HH:mm:ss." + new string('f', n)),
    ];

    public static void MapInstanceUsageAuditLog(this IEndpointRouteBuilder api)
    {
        api.MapGet("/os-instance_usage_audit_log", async (IQuerySession session, TimeProvider clock, CancellationToken ct) =>
            NovaJson.Json(new { instance_usage_audit_logs = await Log(session, clock.GetUtcNow().UtcDateTime, ct) }));
        api.MapGet("/os-instance_usage_audit_log/{before}", async (string before, IQuerySession session, CancellationToken ct) =>
        {
            if (!DateTime.TryParseExact(before, BeforeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                throw NovaError.BadRequest($"Invalid timestamp for date {before}");
            return NovaJson.Json(new { instance_usage_audit_log = await Log(session, at, ct) });
        });
    }

    private static async Task<Dictionary<string, object>> Log(IQuerySession session, DateTime before, CancellationToken ct)
    {
        // Disabled hosts count too: they can have instances (Nova lists every nova-compute service).
        var hosts = (await session.Query<ComputeService>().Select(s => s.Id).ToListAsync(ct)).Order(StringComparer.Ordinal).ToList();
        var (begin, end) = LastCompletedMonth(before);
        return new Dictionary<string, object>
        {
            ["period_beginning"] = PythonTime(begin),
            ["period_ending"] = PythonTime(end),
            ["num_hosts"] = hosts.Count,
            ["num_hosts_done"] = 0,
            ["num_hosts_running"] = 0,
            ["num_hosts_not_run"] = hosts.Count,
            ["hosts_not_run"] = hosts,
            ["total_instances"] = 0,
            ["total_errors"] = 0,
            ["overall_status"] = hosts.Count == 0 ? "ALL hosts done. 0 errors." : $"0 of {hosts.Count} hosts done. 0 errors.",
            ["log"] = new Dictionary<string, object>(),
        };
    }

    /// <summary>Nova's <c>last_completed_audit_period('month', before)</c>: the last whole month that ended before it.</summary>
    public static (DateTime Begin, DateTime End) LastCompletedMonth(DateTime before)
    {
        var end = new DateTime(before.Year, before.Month, 1);
        if (end >= before) end = end.AddMonths(-1);
        return (end.AddMonths(-1), end);
    }

    /// <summary>Python's <c>str(datetime)</c>.</summary>
    private static string PythonTime(DateTime t) =>
        t.ToString(t.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
}
