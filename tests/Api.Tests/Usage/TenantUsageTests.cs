using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Usage;

/// <summary>
/// os-simple-tenant-usage and os-instance_usage_audit_log on a stack of two hosts (a resize needs another host): the
/// usage of a server is its periods as its events record them, clipped to the window asked.
/// </summary>
public sealed class TenantUsageTests(TwoHostStack hosts) : IClassFixture<TwoHostStack>
{
    private readonly ControlPlaneStack stack = hosts.Stack;

    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff";
    private static string Query(DateTimeOffset start, DateTimeOffset end) =>
        $"start={start.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture)}&end={end.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture)}";

    private static readonly DateTimeOffset LastWeek = DateTimeOffset.UtcNow.AddDays(-7), NextWeek = DateTimeOffset.UtcNow.AddDays(7);

    /// <summary>The time an event of the server's history carries (its data's <paramref name="field"/>), as an admin reads it.</summary>
    private async Task<DateTimeOffset> EventTime(string id, string type, string field)
    {
        var (_, history) = await stack.Client("admin:admin").Get($"/v2.1/servers/{id}/events");
        var e = history!["events"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == type);
        return DateTimeOffset.Parse(e!["data"]![field]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }

    private static DateTimeOffset Naive(JsonNode? time) =>
        DateTimeOffset.Parse(time!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>The project's usage once the usage read model shows what <paramref name="ready"/> waits for.</summary>
    private async Task<JsonNode> UsageOf(HttpClient client, string project, string query, Func<JsonNode, bool> ready)
    {
        JsonNode? usage = null;
        await Eventually.True(async () =>
        {
            var (status, body) = await client.Get($"/v2.1/os-simple-tenant-usage/{project}?{query}");
            Assert.Equal(HttpStatusCode.OK, status);
            usage = body!["tenant_usage"];
            return usage is JsonObject { Count: > 0 } && ready(usage);
        }, TimeSpan.FromSeconds(20), "the usage read model caught up");
        return usage!;
    }

    [Fact]
    public async Task A_resized_then_deleted_server_is_billed_each_flavor_for_exactly_the_time_it_had_it()
    {
        var client = stack.Client("ann:usage-resized");
        var id = await client.CreateServer("billed", flavor: "1");
        await client.WaitForStatus(id, "ACTIVE");
        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, new { resize = new { flavorRef = "2" } }));
        await client.WaitForStatus(id, "VERIFY_RESIZE", seconds: 30);
        Assert.Equal(HttpStatusCode.NoContent, await client.Act(id, new { confirmResize = (object?)null }));
        await client.WaitForStatus(id, "ACTIVE", seconds: 30);
        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await client.WaitUntilGone(id);

        var usage = await UsageOf(client, "usage-resized", Query(LastWeek, NextWeek),
            u => u["server_usages"]!.AsArray().Any(s => s!["state"]!.GetValue<string>() == "terminated"));

        var launched = await EventTime(id, "server_built", "LaunchedAt");
        var resized = await EventTime(id, "server_resized", "At");
        var deleted = await EventTime(id, "server_deleted", "DeletedAt");
        double onTiny = (resized - launched).TotalHours, onSmall = (deleted - resized).TotalHours;
        var row = usage["server_usages"]!.AsArray().Single()!;
        Assert.Equal(id, row["instance_id"]!.GetValue<string>());
        Assert.Equal(("billed", "usage-resized", "m1.small", 2048, 20, 1),
            (row["name"]!.GetValue<string>(), row["tenant_id"]!.GetValue<string>(), row["flavor"]!.GetValue<string>(),
                row["memory_mb"]!.GetValue<int>(), row["local_gb"]!.GetValue<int>(), row["vcpus"]!.GetValue<int>()));
        Assert.Equal(onTiny + onSmall, row["hours"]!.GetValue<double>(), 9);
        Assert.Equal(launched, Naive(row["started_at"]), TimeSpan.FromTicks(10));
        Assert.Equal(deleted, Naive(row["ended_at"]), TimeSpan.FromTicks(10));
        Assert.InRange(row["uptime"]!.GetValue<long>(), (long)(deleted - launched).TotalSeconds - 1, (long)(deleted - launched).TotalSeconds);

        // Each flavor for its own time: m1.tiny (1 vCPU, 512 MB, 1 GB) then m1.small (1 vCPU, 2048 MB, 20 GB).
        Assert.Equal(onTiny + onSmall, usage["total_hours"]!.GetValue<double>(), 9);
        Assert.Equal(onTiny + onSmall, usage["total_vcpus_usage"]!.GetValue<double>(), 9);
        Assert.Equal(512 * onTiny + 2048 * onSmall, usage["total_memory_mb_usage"]!.GetValue<double>(), 6);
        Assert.Equal(1 * onTiny + 20 * onSmall, usage["total_local_gb_usage"]!.GetValue<double>(), 6);
        Assert.True(usage["total_memory_mb_usage"]!.GetValue<double>() < 2048 * (onTiny + onSmall), "not the last flavor for the whole life");

        // A window that ends with the resize sees only the tiny time, and the tiny flavor.
        var early = await UsageOf(client, "usage-resized", Query(LastWeek, resized), _ => true);
        var earlyRow = early["server_usages"]!.AsArray().Single()!;
        Assert.Equal(("m1.tiny", 512), (earlyRow["flavor"]!.GetValue<string>(), earlyRow["memory_mb"]!.GetValue<int>()));
        Assert.Equal(512 * onTiny, early["total_memory_mb_usage"]!.GetValue<double>(), 3);
        // A window that ended before the launch has no usage: an empty object.
        var (_, before) = await client.Get($"/v2.1/os-simple-tenant-usage/usage-resized?{Query(LastWeek, launched.AddSeconds(-1))}");
        Assert.Empty(before!["tenant_usage"]!.AsObject());
    }

    [Fact]
    public async Task The_admin_lists_every_project_and_a_project_reads_only_its_own_and_bad_windows_are_400()
    {
        var own = stack.Client("ann:usage-own");
        var other = stack.Client("bob:usage-other");
        var admin = stack.Client("admin:admin");
        var mine = await own.CreateServer("mine");
        var theirs = await other.CreateServer("theirs");
        await own.WaitForStatus(mine, "ACTIVE");
        await other.WaitForStatus(theirs, "ACTIVE");
        await UsageOf(own, "usage-own", Query(LastWeek, NextWeek), _ => true);
        await UsageOf(other, "usage-other", Query(LastWeek, NextWeek), _ => true);

        var (status, list) = await admin.Get($"/v2.1/os-simple-tenant-usage?{Query(LastWeek, NextWeek)}&detailed=1");
        Assert.Equal(HttpStatusCode.OK, status);
        var usages = list!["tenant_usages"]!.AsArray();
        var ownUsage = usages.Single(u => u!["tenant_id"]!.GetValue<string>() == "usage-own")!;
        Assert.Equal(["server_usages", "start", "stop", "tenant_id", "total_hours", "total_local_gb_usage", "total_memory_mb_usage", "total_vcpus_usage"],
            ownUsage.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(mine, ownUsage["server_usages"]!.AsArray().Single()!["instance_id"]!.GetValue<string>());
        Assert.Equal("active", ownUsage["server_usages"]!.AsArray().Single()!["state"]!.GetValue<string>());
        Assert.Null(ownUsage["server_usages"]!.AsArray().Single()!["ended_at"]!);
        Assert.Contains(usages, u => u!["tenant_id"]!.GetValue<string>() == "usage-other");
        // Not detailed: the totals only. The stop is now at the latest.
        var (_, summary) = await admin.Get($"/v2.1/os-simple-tenant-usage?{Query(LastWeek, NextWeek)}");
        var ownSummary = summary!["tenant_usages"]!.AsArray().Single(u => u!["tenant_id"]!.GetValue<string>() == "usage-own")!;
        Assert.Null(ownSummary["server_usages"]);
        Assert.True(Naive(ownSummary["stop"]) <= DateTimeOffset.UtcNow);

        Assert.Equal(HttpStatusCode.Forbidden, (await own.Get($"/v2.1/os-simple-tenant-usage?{Query(LastWeek, NextWeek)}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await own.Get($"/v2.1/os-simple-tenant-usage/usage-other?{Query(LastWeek, NextWeek)}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.Get($"/v2.1/os-simple-tenant-usage/usage-own?{Query(LastWeek, NextWeek)}")).Status);
        // An empty project id is no resource (Tempest's negative test), not the list.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Get($"/v2.1/os-simple-tenant-usage/?{Query(LastWeek, NextWeek)}")).Status);

        var (reversed, refusal) = await own.Get($"/v2.1/os-simple-tenant-usage/usage-own?{Query(NextWeek, LastWeek)}");
        Assert.Equal(HttpStatusCode.BadRequest, reversed);
        Assert.Equal("Invalid start time. The start time cannot occur after the end time.", refusal!["badRequest"]!["message"]!.GetValue<string>());
        foreach (var bad in new[] { "start=yesterday", "start=2026-01-01", "end=2026-01-01T00:00:00Z" })
            Assert.Equal(HttpStatusCode.BadRequest, (await own.Get($"/v2.1/os-simple-tenant-usage/usage-own?{bad}")).Status);
        // Nova's three formats.
        foreach (var good in new[] { "start=2026-01-01T00:00:00", "start=2026-01-01T00:00:00.5", "start=2026-01-01%2000:00:00.123456" })
            Assert.Equal(HttpStatusCode.OK, (await own.Get($"/v2.1/os-simple-tenant-usage/usage-own?{good}")).Status);
    }

    [Fact]
    public async Task From_2_40_the_usage_pages_by_limit_and_marker_with_a_next_link()
    {
        var client = stack.Client("ann:usage-paged");
        var paged = stack.Client("ann:usage-paged", "2.40");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add(await client.CreateServer($"paged-{i}"));
        foreach (var id in ids) await client.WaitForStatus(id, "ACTIVE");
        await UsageOf(client, "usage-paged", Query(LastWeek, NextWeek), u => u["server_usages"]!.AsArray().Count == 3);

        var seen = new List<string>();
        var path = $"/v2.1/os-simple-tenant-usage/usage-paged?{Query(LastWeek, NextWeek)}&limit=2";
        for (var page = 0; page < 3 && path is not null; page++)
        {
            var (status, body) = await paged.Get(path);
            Assert.Equal(HttpStatusCode.OK, status);
            var usage = body!["tenant_usage"]!.AsObject();
            if (usage.Count > 0) seen.AddRange(usage["server_usages"]!.AsArray().Select(s => s!["instance_id"]!.GetValue<string>()));
            path = body["tenant_usage_links"]?[0]?["href"]?.GetValue<string>() is { } next ? new Uri(next).PathAndQuery : null;
        }
        // Pages of 2 and 1, in id order; the short page has no next link.
        Assert.Null(path);
        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);
        // Before 2.40 there is no paging: limit and marker mean nothing.
        var (_, unpaged) = await client.Get($"/v2.1/os-simple-tenant-usage/usage-paged?{Query(LastWeek, NextWeek)}&limit=1");
        Assert.Equal(3, unpaged!["tenant_usage"]!["server_usages"]!.AsArray().Count);
        Assert.Null(unpaged["tenant_usage_links"]);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await paged.Get($"/v2.1/os-simple-tenant-usage/usage-paged?{Query(LastWeek, NextWeek)}&marker={Guid.NewGuid()}")).Status);
    }

    [Fact]
    public async Task The_usage_audit_log_says_no_audit_ran_on_any_host_for_the_last_completed_month()
    {
        var admin = stack.Client("admin:admin");
        var (status, body) = await admin.Get("/v2.1/os-instance_usage_audit_log/2026-03-15%2010:00:00");
        Assert.Equal(HttpStatusCode.OK, status);
        var log = body!["instance_usage_audit_log"]!;
        Assert.Equal(("2026-02-01 00:00:00", "2026-03-01 00:00:00"), (log["period_beginning"]!.GetValue<string>(), log["period_ending"]!.GetValue<string>()));
        Assert.Equal((2, 0, 0, 2, 0, 0), (log["num_hosts"]!.GetValue<int>(), log["num_hosts_done"]!.GetValue<int>(),
            log["num_hosts_running"]!.GetValue<int>(), log["num_hosts_not_run"]!.GetValue<int>(),
            log["total_instances"]!.GetValue<int>(), log["total_errors"]!.GetValue<int>()));
        Assert.Equal(["fake-1", "fake-2"], log["hosts_not_run"]!.AsArray().Select(h => h!.GetValue<string>()).Order());
        Assert.Equal("0 of 2 hosts done. 0 errors.", log["overall_status"]!.GetValue<string>());
        Assert.Empty(log["log"]!.AsObject());
        // The first of a month is not yet past on the first: the month before it is the last completed one.
        var (_, onTheFirst) = await admin.Get("/v2.1/os-instance_usage_audit_log/2026-01-01%2000:00:00.000001");
        Assert.Equal("2025-12-01 00:00:00", onTheFirst!["instance_usage_audit_log"]!["period_beginning"]!.GetValue<string>());

        var (_, list) = await admin.Get("/v2.1/os-instance_usage_audit_log");
        Assert.Equal(11, list!["instance_usage_audit_logs"]!.AsObject().Count);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Get("/v2.1/os-instance_usage_audit_log/invalid_time")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await stack.Client("ann:usage-own").Get("/v2.1/os-instance_usage_audit_log")).Status);
    }
}

/// <summary>One stack of two hosts for the usage tests (each uses projects of its own).</summary>
public sealed class TwoHostStack : IAsyncLifetime
{
    public ControlPlaneStack Stack { get; } = ControlPlaneStack.With(new StackOptions(Hosts: 2));
    public Task InitializeAsync() => Stack.InitializeAsync();
    public Task DisposeAsync() => Stack.DisposeAsync();
}
