using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Audit;

/// <summary>An event nothing reacts to, appended straight through Marten to fill the store for the export.</summary>
public sealed record AuditProbeRecorded(int Number, string Note);

/// <summary>GET /v2.1/events and /v2.1/events/export: the global feed, for admins, filtered and paged by position.</summary>
[Collection(StackCollection.Name)]
public sealed class EventFeedTests(ControlPlaneStack stack)
{
    private readonly HttpClient admin = stack.Client("admin:admin");

    [Fact]
    public async Task The_feed_is_admin_only_filtered_by_metadata_and_paged_without_losing_an_event()
    {
        var project = "feed-" + Guid.NewGuid().ToString("N")[..8];
        var alice = stack.Client($"alice:{project}");
        var bob = stack.Client($"bob:{project}");
        var first = await alice.CreateServer("feed-1");
        var second = await bob.CreateServer("feed-2");
        var elsewhere = await stack.Client("carol:feed-elsewhere").CreateServer("feed-3");
        await alice.WaitForStatus(first, "ACTIVE");
        await bob.WaitForStatus(second, "ACTIVE");
        Assert.Equal(HttpStatusCode.Accepted, await alice.Act(first, new Dictionary<string, object?> { ["os-stop"] = null }));
        await alice.WaitForStatus(first, "SHUTOFF");

        var (forbidden, error) = await alice.Get("/v2.1/events");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal(403, error!["forbidden"]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.Get("/v2.1/events/export")).Status);

        // The feed of one server is its history, event for event.
        var (_, history) = await alice.Get($"/v2.1/servers/{first}/events");
        var serverFeed = await Eventually.Value(() => Page($"/v2.1/events?server_id={first}"),
            p => p["events"]!.AsArray().Count == history!["events"]!.AsArray().Count, TimeSpan.FromSeconds(10), "feed caught up with the server");
        Assert.Equal(history!["events"]!.AsArray().Select(e => e!["sequence"]!.GetValue<long>()),
            serverFeed["events"]!.AsArray().Select(e => e!["sequence"]!.GetValue<long>()));
        Assert.All(serverFeed["events"]!.AsArray(), e => Assert.Equal(first, e!["stream_id"]!.GetValue<string>()));
        Assert.Equal("feed-1", serverFeed["events"]![0]!["data"]!["Name"]!.GetValue<string>());

        // By project (the event's metadata): both servers of the project, nothing of the other one.
        var byProject = (await Page($"/v2.1/events?project_id={project}"))["events"]!.AsArray();
        Assert.All(byProject, e => Assert.Equal(project, e!["project_id"]!.GetValue<string>()));
        Assert.Contains(byProject, e => e!["stream_id"]!.GetValue<string>() == second);
        Assert.DoesNotContain(byProject, e => e!["stream_id"]!.GetValue<string>() == elsewhere);

        // By user: alice's events only, including what the hosts did for her requests.
        var byAlice = (await Page($"/v2.1/events?project_id={project}&user_id=alice"))["events"]!.AsArray();
        Assert.All(byAlice, e => Assert.Equal("alice", e!["user_id"]!.GetValue<string>()));
        Assert.DoesNotContain(byAlice, e => e!["stream_id"]!.GetValue<string>() == second);
        // By user and type together: her stop request and its completion.
        var stops = (await Page($"/v2.1/events?project_id={project}&user_id=alice&type=server_stop_requested,server_stopped"))["events"]!.AsArray();
        Assert.Equal(["server_stop_requested", "server_stopped"], stops.Select(e => e!["type"]!.GetValue<string>()));
        Assert.All(stops, e => Assert.Equal(first, e!["stream_id"]!.GetValue<string>()));

        // By time: until is exclusive, since inclusive; the two halves make the whole.
        var all = (await Page($"/v2.1/events?server_id={first}"))["events"]!.AsArray();
        var cut = all[2]!["timestamp"]!.GetValue<string>();
        var before = (await Page($"/v2.1/events?server_id={first}&until={Uri.EscapeDataString(cut)}"))["events"]!.AsArray();
        var after = (await Page($"/v2.1/events?server_id={first}&since={Uri.EscapeDataString(cut)}"))["events"]!.AsArray();
        Assert.All(before, e => Assert.True(string.CompareOrdinal(e!["timestamp"]!.GetValue<string>(), cut) < 0));
        Assert.Equal(all.Count, before.Count + after.Count);

        // Paging by position with limit and the next link reads exactly what one page reads.
        var paged = new List<long>();
        var next = $"/v2.1/events?project_id={project}&limit=2";
        while (next is not null)
        {
            var page = await Page(next);
            paged.AddRange(page["events"]!.AsArray().Select(e => e!["sequence"]!.GetValue<long>()));
            next = page["events_links"]?[0]?["href"]?.GetValue<string>() is { } href ? new Uri(href).PathAndQuery : null;
        }
        Assert.Equal(byProject.Select(e => e!["sequence"]!.GetValue<long>()), paged);
        Assert.Equal(paged.Order(), paged);
        Assert.True((await Page("/v2.1/events?limit=1"))["high_water_mark"]!.GetValue<long>() >= paged[^1]);
    }

    [Fact]
    public async Task Paging_by_position_never_skips_an_event_that_commits_after_a_later_one()
    {
        var project = "late-" + Guid.NewGuid().ToString("N")[..8];
        var (lateStream, laterStream) = (Guid.NewGuid(), Guid.NewGuid());
        await using var slow = stack.Store.Storage.Database.CreateConnection();
        await slow.OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        // An append that drew its sequence number and has not committed yet (as a slow writer would).
        var insert = new NpgsqlCommand("""
            INSERT INTO nova.mt_streams (id, version) VALUES (@stream, 1);
            INSERT INTO nova.mt_events (seq_id, id, stream_id, version, data, type, timestamp, headers, mt_dotnet_type)
            VALUES (nextval('nova.mt_events_sequence'), gen_random_uuid(), @stream, 1, '{"Number": 1, "Note": "late"}',
                    'audit_probe_recorded', now(), jsonb_build_object('project_id', @project), 'Nova.Api.Tests.Audit.AuditProbeRecorded, Api.Tests')
            RETURNING seq_id
            """, slow, transaction);
        insert.Parameters.AddWithValue("stream", lateStream);
        insert.Parameters.AddWithValue("project", project);
        var late = (long)(await insert.ExecuteScalarAsync())!;

        // A later sequence commits first.
        await using (var session = stack.Store.LightweightSession())
        {
            session.SetHeader("project_id", project);
            session.Events.StartStream(laterStream, new AuditProbeRecorded(2, "later"));
            await session.SaveChangesAsync();
        }
        // Give the daemon ample time to (wrongly) move past the open gap before looking.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var during = await Page($"/v2.1/events?project_id={project}");
        Assert.Empty(during["events"]!.AsArray());
        Assert.True(during["high_water_mark"]!.GetValue<long>() < late, $"high-water mark {during["high_water_mark"]} passed the open sequence {late}");

        await transaction.CommitAsync();
        var after = await Eventually.Value(() => Page($"/v2.1/events?project_id={project}"), p => p["events"]!.AsArray().Count == 2,
            TimeSpan.FromSeconds(10), "both events in the feed");
        Assert.Equal([lateStream.ToString(), laterStream.ToString()], after["events"]!.AsArray().Select(e => e!["stream_id"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("type=no_such_event")]
    [InlineData("type=")]
    [InlineData("server_id=not-a-uuid")]
    [InlineData("project_id=")]
    [InlineData("since=yesterday")]
    [InlineData("until=2026-13-45T99:00:00Z")]
    [InlineData("since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z")]
    [InlineData("after=-1")]
    [InlineData("after=abc")]
    public async Task A_bad_filter_is_a_400_in_novas_shape(string query)
    {
        foreach (var path in new[] { "/v2.1/events", "/v2.1/events/export" })
        {
            var (status, body) = await admin.Get($"{path}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(400, body!["badRequest"]!["code"]!.GetValue<int>());
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Get("/v2.1/events?limit=ten")).Status);
    }

    [Fact]
    public async Task The_export_streams_every_matching_event_as_one_json_line_in_sequence_order()
    {
        var project = "export-" + Guid.NewGuid().ToString("N")[..8];
        const int streams = 40, perStream = 75;
        for (var s = 0; s < streams; s++)
        {
            await using var session = stack.Store.LightweightSession();
            session.SetHeader("project_id", project);
            session.SetHeader("user_id", "exporter");
            session.CorrelationId = $"req-export-{s}";
            session.Events.StartStream(Guid.NewGuid(), Enumerable.Range(0, perStream).Select(n => (object)new AuditProbeRecorded(s * perStream + n, "line \"quoted\" é\n")).ToArray());
            await session.SaveChangesAsync();
        }

        var lines = await Eventually.Value(async () =>
        {
            using var response = await admin.GetAsync($"/v2.1/events/export?project_id={project}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType!.MediaType);
            return (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }, l => l.Length == streams * perStream, TimeSpan.FromSeconds(20), "the export reaches the high-water mark");

        var events = lines.Select(l => JsonNode.Parse(l)!).ToList();
        var sequences = events.Select(e => e["sequence"]!.GetValue<long>()).ToList();
        Assert.True(sequences.Zip(sequences.Skip(1)).All(p => p.First < p.Second), "sequences strictly increase");
        Assert.Equal(Enumerable.Range(0, streams * perStream), events.Select(e => e["data"]!["Number"]!.GetValue<int>()).Order());
        Assert.All(events, e => Assert.Equal("line \"quoted\" é\n", e["data"]!["Note"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Equal("exporter", e["user_id"]!.GetValue<string>()));

        // Resuming after a position gives exactly the rest.
        var middle = sequences[1000];
        using var rest = await admin.GetAsync($"/v2.1/events/export?project_id={project}&after={middle}");
        var restLines = (await rest.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(sequences.Skip(1001), restLines.Select(l => JsonNode.Parse(l)!["sequence"]!.GetValue<long>()));
    }

    private async Task<JsonNode> Page(string path)
    {
        var (status, body) = await admin.Get(path);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {status} {body?.ToJsonString()}");
        return body!;
    }
}
