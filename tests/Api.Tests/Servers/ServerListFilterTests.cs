using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Servers;

/// <summary>
/// GET /servers filters and sorts as Nova applies them: which a member may use and which only an admin (the rest
/// silently dropped), all_tenants and tenant_id, status and deleted servers, the changes window, patterns, sort keys.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ServerListFilterTests(ControlPlaneStack stack)
{
    private static string NewProject() => "filters-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task<List<string>> Active(HttpClient client, params string[] names)
    {
        var ids = new List<string>();
        // One at a time: their creation times, which order the list, are then distinct.
        foreach (var name in names) ids.Add(await client.CreateServer(name));
        foreach (var id in ids) await client.WaitForStatus(id, "ACTIVE");
        return ids;
    }

    private static async Task<List<string>> Listed(HttpClient client, string query)
    {
        var (status, body) = await client.Get("/v2.1/servers?" + query);
        Assert.True(status == HttpStatusCode.OK, $"{query}: {status} {body?.ToJsonString()}");
        return body!["servers"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToList();
    }

    private static async Task<(HttpStatusCode Status, string Message)> Refused(HttpClient client, string query)
    {
        var (status, body) = await client.Get("/v2.1/servers/detail?" + query);
        return (status, body?.AsObject().FirstOrDefault().Value?["message"]?.GetValue<string>() ?? "");
    }

    [Fact]
    public async Task An_admin_with_all_tenants_sees_every_project_and_tenant_id_narrows_it_only_with_all_tenants()
    {
        var (red, blue) = (NewProject(), NewProject());
        var redServers = await Active(stack.Client($"ruth:{red}"), "red-1");
        var blueServers = await Active(stack.Client($"bert:{blue}"), "blue-1");
        var admin = stack.Client($"admin:{NewProject()}");

        // Tempest's all_tenants is present and empty.
        var everyone = await Listed(admin, "all_tenants=");
        Assert.Contains(redServers[0], everyone);
        Assert.Contains(blueServers[0], everyone);
        Assert.Contains(redServers[0], await Listed(admin, "all_tenants=True"));
        Assert.Empty(await Listed(admin, $"tenant_id={red}"));
        Assert.Equal(redServers, await Listed(admin, $"all_tenants=&tenant_id={red}"));
        Assert.Equal(blueServers, await Listed(admin, $"all_tenants=1&project_id={blue}"));
        Assert.Empty(await Listed(admin, $"all_tenants=0&project_id={blue}"));

        var member = stack.Client($"ruth:{red}");
        Assert.Equal(HttpStatusCode.Forbidden, (await Refused(member, "all_tenants=1")).Status);
        Assert.Equal(redServers, await Listed(member, $"all_tenants=0&project_id={blue}"));
        var (status, message) = await Refused(admin, "all_tenants=everyone");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Unrecognized value 'everyone'", message);
    }

    [Fact]
    public async Task Admin_only_filters_are_dropped_for_members_and_applied_for_admins()
    {
        var project = NewProject();
        var member = stack.Client($"mona:{project}");
        var admin = stack.Client($"admin:{project}");
        var ids = await Active(member, "kept-0", "kept-1");
        Assert.Equal(HttpStatusCode.Accepted, await member.Act(ids[0], new JsonObject { ["lock"] = null }));
        // The server shows locked from 2.9.
        var shown = stack.Client($"mona:{project}", "2.9");
        await Eventually.True(async () => (await shown.Server(ids[0]))["locked"]?.GetValue<bool>() == true, TimeSpan.FromSeconds(20), "locked");
        var newestFirst = Enumerable.Reverse(ids).ToList();

        foreach (var query in new[] { "host=nowhere", $"uuid={ids[0]}", "node=nowhere", "launch_index=7", "locked=true", "deleted=true", "foo=bar", "metadata=x" })
            Assert.Equal(newestFirst, await Listed(member, query));

        Assert.Empty(await Listed(admin, "host=nowhere"));
        var host = (await admin.Server(ids[0]))["OS-EXT-SRV-ATTR:host"]!.GetValue<string>();
        var onHost = new List<string>();
        foreach (var id in newestFirst)
            if ((await admin.Server(id))["OS-EXT-SRV-ATTR:host"]!.GetValue<string>() == host) onHost.Add(id);
        Assert.Equal(onHost, await Listed(admin, $"host={host}"));
        Assert.Equal(onHost, await Listed(admin, $"node=^{host}$"));
        Assert.Equal([ids[0]], await Listed(admin, $"uuid={ids[0]}"));
        Assert.Empty(await Listed(admin, "uuid=not-a-uuid"));
        Assert.Equal([ids[0]], await Listed(admin, "locked=true"));
        Assert.Equal([ids[1]], await Listed(admin, "locked=false"));
        Assert.Equal([ids[1]], await Listed(admin, "hostname=kept-1"));
        Assert.Equal(newestFirst, await Listed(admin, "foo=bar"));
        var (status, message) = await Refused(admin, "metadata=x");
        Assert.Equal((HttpStatusCode.BadRequest, "Invalid filter field: metadata."), (status, message));
        Assert.Equal(HttpStatusCode.BadRequest, (await Refused(admin, "locked=maybe")).Status);
    }

    [Fact]
    public async Task A_multi_create_is_found_by_its_reservation_id_and_an_admin_finds_one_by_launch_index()
    {
        var project = NewProject();
        var member = stack.Client($"rita:{project}");
        var (status, body) = await member.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name = "batch", flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, networks = "none", min_count = 2, max_count = 2, return_reservation_id = true },
        });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var reservation = body!["reservation_id"]!.GetValue<string>();
        var lone = await Active(member, "lone");

        var batch = await Listed(member, $"reservation_id={reservation}");
        Assert.Equal(2, batch.Count);
        Assert.DoesNotContain(lone[0], batch);
        var admin = stack.Client($"admin:{project}");
        var second = Assert.Single(await Listed(admin, $"reservation_id={reservation}&launch_index=1"));
        Assert.Equal("batch-2", (await member.Server(second))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_status_stands_for_its_states_an_unknown_one_is_400_from_2_38_and_only_admins_list_deleted_servers()
    {
        var project = NewProject();
        var member = stack.Client($"sam:{project}");
        var ids = await Active(member, "state-0", "state-1", "state-2");
        Assert.Equal(HttpStatusCode.Accepted, await member.Act(ids[0], new JsonObject { ["os-stop"] = null }));
        await member.WaitForStatus(ids[0], "SHUTOFF");
        Assert.Equal(HttpStatusCode.NoContent, (await member.Send(HttpMethod.Delete, $"/v2.1/servers/{ids[2]}")).Status);
        await member.WaitUntilGone(ids[2]);

        Assert.Equal([ids[1], ids[0]], await Listed(member, "status=active&status=SHUTOFF"));
        Assert.Equal([ids[0]], await Listed(member, "status=shutoff"));
        Assert.Empty(await Listed(member, "status=sleepy"));
        var newer = stack.Client($"sam:{project}", "2.38");
        Assert.Equal((HttpStatusCode.BadRequest, "Invalid status value"), await Refused(newer, "status=sleepy"));

        var (forbidden, why) = await Refused(member, "status=DELETED");
        Assert.Equal((HttpStatusCode.Forbidden, "Only administrators may list deleted instances"), (forbidden, why));
        var admin = stack.Client($"admin:{project}");
        Assert.Equal([ids[2]], await Listed(admin, "status=DELETED"));
        Assert.Equal([ids[2]], await Listed(admin, "deleted=true"));
        var (_, detail) = await admin.Get("/v2.1/servers/detail?deleted=true");
        Assert.Equal("DELETED", detail!["servers"]![0]!["status"]!.GetValue<string>());
        Assert.Equal([ids[1], ids[0]], await Listed(admin, "deleted=false"));
    }

    [Fact]
    public async Task Changes_since_and_changes_before_bound_the_update_time_and_bad_times_are_400()
    {
        var project = NewProject();
        var member = stack.Client($"cleo:{project}", "2.66");
        var ids = await Active(member, "window-0");
        var between = DateTimeOffset.UtcNow.AddMilliseconds(500);
        await Task.Delay(1000);
        ids.AddRange(await Active(member, "window-1"));
        string At(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"));

        Assert.Equal([ids[1]], await Listed(member, $"changes-since={At(between)}"));
        Assert.Equal([ids[0]], await Listed(member, $"changes-before={At(between)}"));
        Assert.Equal([ids[1], ids[0]], await Listed(member, $"changes-before={At(DateTimeOffset.UtcNow.AddMinutes(1))}"));
        // Before 2.66 changes-before is no member's filter.
        Assert.Equal([ids[1], ids[0]], await Listed(stack.Client($"cleo:{project}", "2.65"), $"changes-before={At(between)}"));

        Assert.Equal(HttpStatusCode.BadRequest, (await Refused(member, "changes-since=2011/01/01")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Refused(member, "changes-before=yesterday")).Status);
        var (status, message) = await Refused(member, $"changes-since={At(between)}&changes-before={At(between.AddHours(-1))}");
        Assert.Equal((HttpStatusCode.BadRequest, "The value of changes-since must be less than or equal to changes-before."), (status, message));
        Assert.Equal([ids[1], ids[0]], await Listed(member, "changes-since=2011-01-01"));
    }

    [Fact]
    public async Task Patterns_search_the_text_case_insensitively_an_invalid_one_is_400_and_an_address_filter_matches_nothing()
    {
        var project = NewProject();
        var member = stack.Client($"pia:{project}");
        var ids = await Active(member, "web-alpha", "db-beta");

        Assert.Equal([ids[0]], await Listed(member, "name=ALPHA"));
        Assert.Equal([ids[1], ids[0]], await Listed(member, "name=^(web|db)-"));
        Assert.Equal([ids[1]], await Listed(member, "name=a$&name=beta"));
        Assert.Equal([ids[1], ids[0]], await Listed(member, "name="));
        var (status, message) = await Refused(member, "name=web-[");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("is not a 'regex'", message);
        Assert.Empty(await Listed(member, "ip=10.0.0.1"));
        Assert.Empty(await Listed(stack.Client($"pia:{project}", "2.5"), "ip6=::1"));

        var admin = stack.Client($"admin:{project}");
        Assert.Equal([ids[1], ids[0]], await Listed(admin, "availability_zone=nova"));
        Assert.Equal([ids[1], ids[0]], await Listed(admin, "power_state=1&vm_state=active"));
        Assert.Equal([ids[1], ids[0]], await Listed(admin, $"created_at={DateTimeOffset.UtcNow:yyyy-MM-dd}"));
        Assert.Empty(await Listed(admin, "terminated_at=."));
    }

    [Fact]
    public async Task Several_sort_keys_order_the_list_and_its_pages_and_Nova_refuses_or_drops_the_keys_it_does()
    {
        var project = NewProject();
        var member = stack.Client($"sol:{project}");
        // b, a, b, a: by name ascending, then newest first within a name.
        var ids = await Active(member, "b", "a", "b", "a");
        Assert.Equal(HttpStatusCode.Accepted, await member.Act(ids[2], new JsonObject { ["os-stop"] = null }));
        await member.WaitForStatus(ids[2], "SHUTOFF");
        var expected = new List<string> { ids[3], ids[1], ids[2], ids[0] };
        Assert.Equal(expected, await Listed(member, "sort_key=display_name&sort_dir=asc&sort_key=created_at&sort_dir=desc"));
        Assert.Equal(Enumerable.Reverse(expected), await Listed(member, "sort_key=display_name&sort_key=created_at&sort_dir=desc&sort_dir=asc"));
        // One direction for two keys: the second takes the first's.
        Assert.Equal([ids[1], ids[3], ids[0], ids[2]], await Listed(member, "sort_key=display_name&sort_key=created_at&sort_dir=asc"));
        // PostgreSQL orders uuids as their text.
        Assert.Equal(new[] { ids[0], ids[1], ids[3] }.OrderByDescending(id => id, StringComparer.Ordinal).Prepend(ids[2]),
            await Listed(member, "sort_key=vm_state&sort_dir=desc&sort_key=uuid&sort_dir=desc"));

        // Pages of two through the next links keep both keys.
        var seen = new List<string>();
        var path = "/v2.1/servers?sort_key=display_name&sort_dir=asc&sort_key=created_at&sort_dir=desc&limit=2";
        for (var page = 0; path is not null && page < 5; page++)
        {
            var (_, body) = await member.Get(path);
            seen.AddRange(body!["servers"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
            path = body["servers_links"]?.AsArray().Single(l => l!["rel"]!.GetValue<string>() == "next")!["href"]!.GetValue<string>() is { } next
                ? new Uri(next).PathAndQuery : null;
        }
        Assert.Equal(expected, seen);

        // Nova's dropped keys (id, vcpus...) are ignored before 2.75; an unknown key, host for a member, a bad direction are not.
        Assert.Equal(Enumerable.Reverse(ids), await Listed(member, "sort_key=id&sort_dir=asc"));
        Assert.Equal(HttpStatusCode.BadRequest, (await Refused(member, "sort_key=shoe_size")).Status);
        Assert.Equal((HttpStatusCode.Forbidden, "Only administrators can sort servers by host"), await Refused(member, "sort_key=host"));
        Assert.Equal(HttpStatusCode.BadRequest, (await Refused(member, "sort_key=display_name&sort_dir=sideways")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Refused(member, "sort_key=display_name&sort_dir=asc&sort_dir=desc")).Status);
        var admin = stack.Client($"admin:{project}");
        var hosts = new Dictionary<string, string>();
        foreach (var id in ids) hosts[id] = (await admin.Server(id))["OS-EXT-SRV-ATTR:host"]!.GetValue<string>();
        Assert.Equal(ids.OrderBy(id => hosts[id], StringComparer.Ordinal).ThenBy(ids.IndexOf),
            await Listed(admin, "sort_key=host&sort_dir=asc&sort_key=created_at"));
    }
}
