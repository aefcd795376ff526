using System.Globalization;
using Nova.Api.Http;
using Nova.Domain.Usage;
using Nova.Projections.Usage;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Usage;

/// <summary>
/// /os-simple-tenant-usage: each project's server hours and flavor-weighted vCPU, RAM and disk hours in a window, from
/// the usage periods the events record (Nova's body and order; its numbers, except that a resized server counts each
/// flavor for the time it had it rather than its last flavor for its whole life).
/// </summary>
public static class TenantUsageEndpoints
{
    /// <summary>Nova's <c>[api] max_limit</c>: the most servers one answer covers, paged or not.</summary>
    public const int MaxLimit = 1000;
    private const string Collection = "os-simple-tenant-usage";

    public static void MapTenantUsage(this IEndpointRouteBuilder api)
    {
        api.MapGet("/" + Collection, List);
        api.MapGet("/" + Collection + "/{project}", Show);
    }

    private static async Task<IResult> List(HttpContext http, IMediator mediator, CancellationToken ct)
    {
        // The routing takes a trailing slash as none; to Nova it is a show of the empty project id, which is no resource.
        if (http.Request.Path.Value?.EndsWith('/') == true)
            throw NovaError.NotFound($"The resource could not be found: {http.Request.Path}");
        var window = Window.Of(http);
        var detailed = http.Request.Query["detailed"].FirstOrDefault() == "1";
        var (limit, marker) = Page(http);
        var servers = await mediator.Send(new ListServerUsages(null, window.Start, window.Stop, limit, marker), ct);
        var body = new Dictionary<string, object>
        {
            ["tenant_usages"] = servers.GroupBy(s => s.ProjectId).Select(p => TenantUsage(p.Key, p, window, detailed)).ToList(),
        };
        if (NextLink(http, Collection, limit, servers) is { } next) body["tenant_usages_links"] = next;
        return NovaJson.Json(body);
    }

    private static async Task<IResult> Show(string project, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var window = Window.Of(http);
        var (limit, marker) = Page(http);
        var servers = await mediator.Send(new ListServerUsages(project, window.Start, window.Stop, limit, marker), ct);
        // No server in the window: an empty object, not zeros.
        var body = new Dictionary<string, object>
        {
            ["tenant_usage"] = servers.Count == 0 ? new Dictionary<string, object?>() : TenantUsage(project, servers, window, detailed: true),
        };
        if (NextLink(http, $"{Collection}/{project}", limit, servers) is { } next) body["tenant_usage_links"] = next;
        return NovaJson.Json(body);
    }

    /// <summary>From 2.40 the client pages with limit and marker; before, Nova answers its max_limit servers.</summary>
    private static (int Limit, Guid? Marker) Page(HttpContext http)
    {
        if (!MicroversionMiddleware.Of(http).AtLeast(40)) return (MaxLimit, null);
        var q = http.Request.Query;
        var limit = Math.Min(q.Limit() ?? MaxLimit, MaxLimit);
        Guid? marker = q.Text("marker") is { } m
            ? Guid.TryParse(m, out var id) ? id : throw NovaError.BadRequest($"Marker {m} could not be found.")
            : null;
        return (limit, marker);
    }

    /// <summary>Nova's rule: a next link when the page is as long as the limit asked (or max_limit).</summary>
    private static object[]? NextLink(HttpContext http, string path, int limit, IReadOnlyList<ServerUsageView> servers) =>
        MicroversionMiddleware.Of(http).AtLeast(40) && limit > 0
            ? Links.Next(http, path, limit, servers.Count, servers.LastOrDefault()?.Id.ToString())
            : null;

    private static Dictionary<string, object?> TenantUsage(string project, IEnumerable<ServerUsageView> servers, Window window, bool detailed)
    {
        double hours = 0, vcpus = 0, memory = 0, disk = 0;
        var rows = new List<Dictionary<string, object?>>();
        foreach (var server in servers)
        {
            if (UsagePeriods.Within(server.Periods, window.Start, window.Stop) is not { } used) continue;
            hours += used.Hours;
            vcpus += used.VcpuHours;
            memory += used.MemoryMbHours;
            disk += used.LocalGbHours;
            rows.Add(ServerUsage(server, used, window.Now));
        }
        var usage = new Dictionary<string, object?> { ["tenant_id"] = project };
        if (detailed) usage["server_usages"] = rows;
        usage["total_local_gb_usage"] = disk;
        usage["total_vcpus_usage"] = vcpus;
        usage["total_memory_mb_usage"] = memory;
        usage["total_hours"] = hours;
        usage["start"] = IsoTime(window.Start);
        usage["stop"] = IsoTime(window.Stop);
        return usage;
    }

    private static Dictionary<string, object?> ServerUsage(ServerUsageView server, WindowUsage used, DateTimeOffset now)
    {
        var started = server.StartedAt!.Value;
        return new Dictionary<string, object?>
        {
            ["hours"] = used.Hours,
            ["flavor"] = used.Flavor.Name,
            ["instance_id"] = server.Id.ToString(),
            ["name"] = server.Name,
            ["tenant_id"] = server.ProjectId,
            ["memory_mb"] = used.Flavor.RamMb,
            ["local_gb"] = used.Flavor.DiskGb + used.Flavor.EphemeralGb,
            ["vcpus"] = used.Flavor.Vcpus,
            ["started_at"] = IsoTime(started),
            ["ended_at"] = server.EndedAt is { } ended ? IsoTime(ended) : null,
            ["state"] = server.EndedAt is null ? server.VmState : "terminated",
            ["uptime"] = (long)Math.Max(0, ((server.EndedAt ?? now) - started).TotalSeconds),
        };
    }

    /// <summary>Python's isoformat of Nova's naive UTC times: microseconds only when there are any.</summary>
    public static string IsoTime(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        return utc.ToString(utc.Ticks % TimeSpan.TicksPerSecond / 10 == 0 ? "yyyy-MM-ddTHH:mm:ss" : "yyyy-MM-ddTHH:mm:ss.ffffff",
            CultureInfo.InvariantCulture);
    }

    /// <summary>The usage window: <c>start</c> and <c>end</c> (now when absent), the end no later than now.</summary>
    private sealed record Window(DateTimeOffset Start, DateTimeOffset Stop, DateTimeOffset Now)
    {
        private static readonly string[] Formats =
        [
            "yyyy-MM-dd'T'HH:mm:ss",
            .. Enumerable.Range(1, 6).Select(n => "yyyy-MM-dd'T'HH:mm:ss." + new string('f', n)),
            .. Enumerable.Range(1, 6).Select(n => "yyyy-MM-dd HH:mm:ss." + new string('f', n)),
        ];

        public static Window Of(HttpContext http)
        {
            var now = DateTimeOffset.UtcNow;
            var q = http.Request.Query;
            var start = Parse(q["start"].FirstOrDefault(), now);
            var stop = Parse(q["end"].FirstOrDefault(), now);
            // Nova reads "now" twice, a moment apart, so no window at all is an empty one rather than a refusal.
            if (!(start < stop) && !(string.IsNullOrEmpty(q["start"].FirstOrDefault()) && string.IsNullOrEmpty(q["end"].FirstOrDefault())))
                throw NovaError.BadRequest("Invalid start time. The start time cannot occur after the end time.");
            return new Window(start, stop > now ? now : stop, now);
        }

        private static DateTimeOffset Parse(string? text, DateTimeOffset now) =>
            string.IsNullOrEmpty(text) ? now
            : DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
                ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))
                : throw NovaError.BadRequest("Invalid datetime string: Datetime is in invalid format");
    }
}
