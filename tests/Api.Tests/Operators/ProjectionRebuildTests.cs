using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Operators;

/// <summary><c>nova-manage projections …</c>: list, rebuild without downtime, rebuild one server.</summary>
[Collection(OperatorsCollection.Name)]
public sealed class ProjectionRebuildTests(OperatorStack ops)
{
    [Fact]
    public async Task A_full_rebuild_under_read_load_fails_no_request_and_rebuilds_the_same_documents()
    {
        await ops.CaughtUp();
        var views = await ops.Documents("mt_doc_serverview", revision: true);
        var logs = await ops.Documents("mt_doc_instanceactionlog");
        Assert.True(views.Count >= ops.Servers.Count);
        // One damaged action log (the readers below do not read it): the rebuild must repair it.
        var damaged = Guid.Parse(ops.Servers[5]);
        await ops.Sql($"update nova.mt_doc_instanceactionlog set data = jsonb_set(data, '{{Actions}}', '[]') where id = '{damaged}'");

        var live = ops.Servers.Except(ops.Deleted).ToList();
        var failures = new ConcurrentQueue<string>();
        var requests = 0;
        using var done = new CancellationTokenSource();
        async Task Read(int reader)
        {
            var client = ops.Stack.Client(OperatorStack.Token);
            var random = new Random(reader);
            while (!done.IsCancellationRequested)
            {
                var (status, body) = await client.Get("/v2.1/servers/detail");
                var listed = body?["servers"]?.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToHashSet();
                if (status != HttpStatusCode.OK || listed is null || !live.All(listed.Contains) || listed.Overlaps(ops.Deleted))
                    failures.Enqueue($"GET /servers/detail: {status}, {listed?.Count} servers");
                var id = live[random.Next(live.Count)];
                var (one, server) = await client.Get($"/v2.1/servers/{id}");
                if (one != HttpStatusCode.OK || server?["server"]?["status"]?.GetValue<string>() is not ("ACTIVE" or "SHUTOFF")
                    || server["server"]!["name"]!.GetValue<string>().Length == 0)
                    failures.Enqueue($"GET /servers/{id}: {one} {server?.ToJsonString()}");
                Interlocked.Add(ref requests, 2);
            }
        }
        var readers = Enumerable.Range(0, 4).Select(Read).ToList();
        await Eventually.True(() => Task.FromResult(Volatile.Read(ref requests) >= 8), TimeSpan.FromSeconds(10), "readers running");
        var before = Volatile.Read(ref requests);

        var (exit, output, error) = await ops.Manage("projections", "rebuild", "--all");

        var during = Volatile.Read(ref requests) - before;
        await done.CancelAsync();
        await Task.WhenAll(readers);
        Assert.True(exit == 0, error + output);
        Assert.Empty(failures);
        Assert.True(during > 0, "no request ran while the rebuild did");
        Assert.Matches(@"rebuilt ServerView, InstanceActionLog, MigrationView, ServerUsageView: [\d,]+ events", output);
        Assert.Contains("progress: 100%", output);
        // Only the damaged log differed from what the events say.
        Assert.Equal("1", Regex.Match(output, @"([\d,]+) live documents changed").Groups[1].Value);

        Assert.Equal(views, await ops.Documents("mt_doc_serverview", revision: true));
        Assert.Equal(logs, await ops.Documents("mt_doc_instanceactionlog"));
        var (_, actions) = await ops.Stack.Client(OperatorStack.Token).Get($"/v2.1/servers/{damaged}/os-instance-actions");
        Assert.Contains(actions!["instanceActions"]!.AsArray(), a => a!["action"]!.GetValue<string>() == "create");
    }

    [Fact]
    public async Task Rebuild_server_repairs_one_damaged_server_view()
    {
        await ops.CaughtUp();
        var id = ops.Servers[20];
        var client = ops.Stack.Client(OperatorStack.Token);
        var views = await ops.Documents("mt_doc_serverview", revision: true);
        await ops.Sql($"update nova.mt_doc_serverview set data = jsonb_set(jsonb_set(data, '{{Status}}', '\"ERROR\"'), '{{Name}}', '\"garbage\"') where id = '{id}'");
        Assert.Equal("garbage", (await client.Server(id))["name"]!.GetValue<string>());

        var (exit, output, error) = await ops.Manage("projections", "rebuild-server", id);

        Assert.True(exit == 0, error + output);
        Assert.Contains($"rebuilt server {id} from", output);
        Assert.Equal(views[Guid.Parse(id)], (await ops.Documents("mt_doc_serverview", revision: true))[Guid.Parse(id)]);
        var server = await client.Server(id);
        Assert.Equal("ops-2-4", server["name"]!.GetValue<string>());
        Assert.Equal("ACTIVE", server["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_servers_projections_and_commands_are_refused_with_a_message()
    {
        var (exit, _, error) = await ops.Manage("projections", "rebuild-server", Guid.NewGuid().ToString());
        Assert.Equal(2, exit);
        Assert.Contains("no server with id", error);
        (exit, _, error) = await ops.Manage("projections", "rebuild-server", "not-a-uuid");
        Assert.Equal(2, exit);
        Assert.Contains("is not a server id", error);
        (exit, _, error) = await ops.Manage("projections", "rebuild", "NoSuchView");
        Assert.Equal(2, exit);
        Assert.Contains("no projection named 'NoSuchView'; rebuildable: ServerView, InstanceActionLog, MigrationView, ServerUsageView", error);
        (exit, _, error) = await ops.Manage("projections", "frobnicate");
        Assert.Equal(2, exit);
        Assert.Contains("unknown command 'projections frobnicate'", error);
        Assert.Contains("projections rebuild-server ID", error);
    }

    [Fact]
    public async Task List_shows_every_projection_and_subscription_with_its_position_and_lag()
    {
        await ops.CaughtUp();

        var (exit, output, error) = await ops.Manage("projections", "list");

        Assert.True(exit == 0, error);
        var highest = long.Parse(Regex.Match(output, @"highest sequence (\d+)").Groups[1].Value);
        Assert.True(highest > 0);
        var rows = output.Split('\n').Select(l => Regex.Split(l.Trim(), @"\s+")).Where(r => r.Length >= 3).ToDictionary(r => r[0]);
        foreach (var name in new[] { "ServerView:All", "InstanceActionLog:All", "MigrationView:All", "ServerUsageView:All" })
        {
            Assert.Equal("async", rows[name][1]);
            Assert.True(long.Parse(rows[name][2]) > 0);
            Assert.Equal(highest, long.Parse(rows[name][2]) + long.Parse(rows[name][3]));
        }
        Assert.Contains(rows.Values, r => r[1] == "subscription" && r[0].StartsWith("EventRelay", StringComparison.Ordinal));
        Assert.Equal("inline", rows["ComputeHost"][1]);
        Assert.DoesNotContain(rows.Keys, name => name.StartsWith("HighWater", StringComparison.Ordinal));
    }
}
