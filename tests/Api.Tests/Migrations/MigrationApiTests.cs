using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Nova.Api.Tests.Infrastructure;
using Nova.Domain.Servers;
using Nova.Projections.Migrations;

namespace Nova.Api.Tests.Migrations;

/// <summary>GET /os-migrations and /servers/{id}/migrations over the migrations read model, as Nova answers them.</summary>
[Collection(MigrationCollection.Name)]
public sealed class MigrationApiTests(MigrationStack m)
{
    private static readonly string[] V20 =
    [
        "created_at", "dest_compute", "dest_host", "dest_node", "id", "instance_uuid", "new_instance_type_id",
        "old_instance_type_id", "source_compute", "source_node", "status", "updated_at",
    ];

    private HttpClient Admin(string? microversion = null) => m.Stack.Client(MigrationStack.Admin, microversion);

    private async Task<JsonArray> List(string query, string? microversion = null)
    {
        var (status, body) = await Admin(microversion).Get($"/v2.1/os-migrations{query}");
        Assert.True(status == HttpStatusCode.OK, $"{query}: {status} {body?.ToJsonString()}");
        return body!["migrations"]!.AsArray();
    }

    private static string Text(JsonNode? node, string key) => node![key]!.GetValue<string>();
    private static List<string?> Uuids(JsonArray list) => list.Select(x => x!["uuid"]?.GetValue<string>()).ToList();

    [Fact]
    public async Task Before_2_23_each_migration_has_novas_fields_oldest_first()
    {
        var list = await List($"?source_compute={MigrationStack.Source}");

        Assert.Equal(3, list.Count);
        foreach (var item in list) Assert.Equal(V20.Order(), item!.AsObject().Select(p => p.Key).Order());
        var (confirmed, reverted, failed) = (list[0]!, list[1]!, list[2]!);
        Assert.Equal(m.Confirmed.Server.ToString(), Text(confirmed, "instance_uuid"));
        Assert.Equal(("confirmed", "reverted", "error"), (Text(confirmed, "status"), Text(reverted, "status"), Text(failed, "status")));
        Assert.Equal(("mig-src", "mig-src", "mig-dst-a", "mig-dst-a", "mig-dst-a"),
            (Text(confirmed, "source_compute"), Text(confirmed, "source_node"), Text(confirmed, "dest_compute"), Text(confirmed, "dest_node"), Text(confirmed, "dest_host")));
        Assert.Equal((1, 2), (confirmed["old_instance_type_id"]!.GetValue<int>(), confirmed["new_instance_type_id"]!.GetValue<int>()));
        // A cold migration keeps its flavor; a migration no host took has no destination.
        Assert.Equal((1, 1), (reverted["old_instance_type_id"]!.GetValue<int>(), reverted["new_instance_type_id"]!.GetValue<int>()));
        Assert.Null(failed["dest_compute"]);
        Assert.Null(failed["dest_host"]);
        // Integer ids that grow with creation, as Nova's autoincrement does.
        var ids = list.Select(x => x!["id"]!.GetValue<long>()).ToList();
        Assert.All(ids, id => Assert.True(id > 0));
        Assert.Equal(ids.Order(), ids);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$", Text(confirmed, "created_at"));
        Assert.True(string.CompareOrdinal(Text(confirmed, "updated_at"), Text(confirmed, "created_at")) >= 0);
    }

    [Fact]
    public async Task Microversions_add_the_migration_type_then_the_uuid_newest_first()
    {
        var v223 = await List($"?source_compute={MigrationStack.Source}", "2.23");
        Assert.Equal(V20.Append("migration_type").Order(), v223[0]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(["resize", "migration", "resize"], v223.Select(x => Text(x, "migration_type")));
        // Links are for live migrations in progress only.
        Assert.All(v223, x => Assert.False(x!.AsObject().ContainsKey("links")));

        var v259 = await List($"?source_compute={MigrationStack.Source}", "2.59");
        Assert.Equal(V20.Append("migration_type").Append("uuid").Order(), v259[0]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal([m.Failed.Migration.ToString(), m.Reverted.Migration.ToString(), m.Confirmed.Migration.ToString()], Uuids(v259));
    }

    [Fact]
    public async Task Pages_follow_the_marker_and_an_unknown_marker_is_a_400()
    {
        var (status, body) = await Admin("2.59").Get($"/v2.1/os-migrations?source_compute={MigrationStack.Source}&limit=2");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([m.Failed.Migration.ToString(), m.Reverted.Migration.ToString()], Uuids(body!["migrations"]!.AsArray()));
        var next = Text(body["migrations_links"]![0], "href");
        Assert.Equal("next", Text(body["migrations_links"]![0], "rel"));
        Assert.Contains($"/v2.1/os-migrations?", next);
        Assert.Contains($"marker={m.Reverted.Migration}", next);

        (status, body) = await Admin("2.59").Get(new Uri(next).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([m.Confirmed.Migration.ToString()], Uuids(body!["migrations"]!.AsArray()));
        Assert.Null(body["migrations_links"]);

        Assert.Empty(await List($"?source_compute={MigrationStack.Source}&limit=0", "2.59"));

        var unknown = Guid.NewGuid();
        (status, body) = await Admin("2.59").Get($"/v2.1/os-migrations?marker={unknown}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body!["badRequest"]!["code"]!.GetValue<int>());
        Assert.Equal($"Marker {unknown} could not be found.", Text(body["badRequest"], "message"));
        // A deleted server's migration is no marker either.
        (status, _) = await Admin("2.59").Get($"/v2.1/os-migrations?marker={m.Deleted.Migration}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, body) = await Admin("2.59").Get("/v2.1/os-migrations?limit=many");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("limit", Text(body!["badRequest"], "message"));
        // Before 2.59 there is no paging: limit and marker are not the schema's, and are ignored.
        Assert.Equal(3, (await List($"?source_compute={MigrationStack.Source}&limit=1&marker={unknown}")).Count);
    }

    [Fact]
    public async Task Novas_filters_narrow_the_list()
    {
        var src = $"source_compute={MigrationStack.Source}";
        Assert.Equal([m.Reverted.Migration.ToString()], Uuids(await List($"?instance_uuid={m.Reverted.Server}", "2.59")));
        Assert.Equal([m.Confirmed.Migration.ToString()], Uuids(await List($"?{src}&status=confirmed", "2.59")));
        Assert.Equal([m.Reverted.Migration.ToString()], Uuids(await List($"?{src}&migration_type=migration", "2.59")));
        // host: either end.
        Assert.Equal([m.Reverted.Migration.ToString()], Uuids(await List("?host=mig-dst-b", "2.59")));
        Assert.Equal(3, (await List($"?host={MigrationStack.Source}", "2.59")).Count);
        Assert.Empty(await List("?source_compute=mig-dst-b", "2.59"));
        // Nothing is hidden here; an instance_uuid that is no uuid matches nothing.
        Assert.Empty(await List($"?{src}&hidden=1", "2.59"));
        Assert.Equal(3, (await List($"?{src}&hidden=0", "2.59")).Count);
        Assert.Empty(await List("?instance_uuid=not-a-uuid", "2.59"));

        var all = await List($"?{src}", "2.59");
        var (failedAt, confirmedAt) = (Text(all[0], "updated_at"), Text(all[2], "updated_at"));
        Assert.Equal([m.Failed.Migration.ToString()], Uuids(await List($"?{src}&changes-since={failedAt}", "2.59")));
        Assert.Equal([m.Confirmed.Migration.ToString()], Uuids(await List($"?{src}&changes-before={confirmedAt}", "2.66")));
        // changes-before is 2.66's: at 2.59 it is not in the schema.
        var (status, body) = await Admin("2.59").Get($"/v2.1/os-migrations?changes-before={confirmedAt}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Additional properties are not allowed ('changes-before' was unexpected)", Text(body!["badRequest"], "message"));
        (status, body) = await Admin("2.66").Get($"/v2.1/os-migrations?changes-since={failedAt}&changes-before={confirmedAt}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The value of changes-since must be less than or equal to changes-before.", Text(body!["badRequest"], "message"));
        (status, body) = await Admin("2.59").Get("/v2.1/os-migrations?changes-since=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("changes-since", Text(body!["badRequest"], "message"));
        // Before 2.59 the schema lets anything through, and changes-since does not filter.
        Assert.Equal(3, (await List($"?{src}&changes-since={failedAt}&frobnicate=1")).Count);
        // 2.80's user_id and project_id are refused before it; before 2.59 they reach the filters, as in Nova.
        (status, _) = await Admin("2.72").Get("/v2.1/os-migrations?user_id=admin");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal([m.Reverted.Server.ToString()], (await List($"?{src}&user_id=admin")).Select(x => Text(x, "instance_uuid")));
        Assert.Equal(2, (await List($"?{src}&project_id=mig-project")).Count);
    }

    [Fact]
    public async Task Only_admins_list_migrations()
    {
        foreach (var token in new[] { MigrationStack.Member, MigrationStack.Outsider })
        {
            var (status, body) = await m.Stack.Client(token, "2.59").Get("/v2.1/os-migrations");
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal(403, body!["forbidden"]!["code"]!.GetValue<int>());
            Assert.Equal("Policy doesn't allow os_compute_api:os-migrations:index to be performed.", Text(body["forbidden"], "message"));
        }
    }

    [Fact]
    public async Task A_deleted_servers_migrations_leave_every_list()
    {
        Assert.Empty(await List($"?instance_uuid={m.Deleted.Server}", "2.59"));
        Assert.Empty(await List($"?instance_uuid={m.Deleted.Server}"));
        Assert.Empty(await List("?host=mig-dst-d", "2.59"));
        await using var session = m.Stack.Store.QuerySession();
        var doc = await session.LoadAsync<MigrationView>(m.Deleted.Migration);
        Assert.Equal((true, MigrationStatus.Finished), (doc!.Deleted, doc.Status));
    }

    [Fact]
    public async Task Each_step_of_a_resize_revert_confirm_and_failed_finish_shows_novas_status()
    {
        var server = (await m.NewServers(1))[0];
        const string src = "walk-src", dst = "walk-dst";

        // A resize, reverted.
        var first = new SeededMigration(server, Guid.NewGuid());
        var now = DateTimeOffset.UtcNow;
        await m.Append(server, "mia", "mig-project", MigrationStack.Requested(first, MigrationKind.Resize, src),
            new ServerResizeScheduled(server, first.Migration, dst, "nova"));
        var seen = await m.WaitFor(first, x => Text(x, "status") == "pre-migrating", "pre-migrating");
        Assert.Equal((src, dst, dst, "resize"), (Text(seen, "source_compute"), Text(seen, "dest_compute"), Text(seen, "dest_host"), Text(seen, "migration_type")));
        var steps = new (object Event, string Status)[]
        {
            (new ServerResizeStepStarted(server, first.Migration, src, TaskState.ResizeMigrating), "migrating"),
            (new ServerResizeMigrated(server, first.Migration, src), "post-migrating"),
            (new ServerResizeStepStarted(server, first.Migration, dst, TaskState.ResizeFinish), "post-migrating"),
            (new ServerResized(server, first.Migration, dst, now), "finished"),
            (new ServerResizeRevertRequested(server, first.Migration, dst), "reverting"),
            (new ServerResizeRolledBackOnTarget(server, first.Migration, dst), "reverted"),
            (new ServerResizeReverted(server, first.Migration, src, now), "reverted"),
        };
        foreach (var (e, status) in steps)
        {
            var before = Text(seen, "updated_at");
            await m.Append(server, "mia", "mig-project", e);
            // Every step touches updated_at, so a step that keeps the status is seen applied too.
            seen = await m.WaitFor(first, x => Text(x, "updated_at") != before, $"{e.GetType().Name} applied");
            Assert.True(Text(seen, "status") == status, $"after {e.GetType().Name}: {Text(seen, "status")}, expected {status}");
        }

        // A cold migration of the same server, confirmed.
        var second = new SeededMigration(server, Guid.NewGuid());
        await m.Append(server, "admin", "mig-admin", MigrationStack.Requested(second, MigrationKind.Migrate, src),
            new ServerResizeScheduled(server, second.Migration, dst, "nova"), new ServerResizeMigrated(server, second.Migration, src),
            new ServerResized(server, second.Migration, dst, now), new ServerResizeConfirmRequested(server, second.Migration, src));
        await m.WaitFor(second, x => Text(x, "status") == "confirming", "confirming");
        await m.Append(server, "admin", "mig-admin", new ServerResizeConfirmed(server, second.Migration, src, now));
        seen = await m.WaitFor(second, x => Text(x, "status") == "confirmed", "confirmed");
        Assert.Equal("migration", Text(seen, "migration_type"));

        // A resize whose target failed to finish: an error, and it stays one once the server is back on its source.
        var third = new SeededMigration(server, Guid.NewGuid());
        await m.Append(server, "mia", "mig-project", MigrationStack.Requested(third, MigrationKind.Resize, src),
            new ServerResizeScheduled(server, third.Migration, dst, null), new ServerResizeMigrated(server, third.Migration, src),
            new ServerResizeRolledBackOnTarget(server, third.Migration, dst, "finish failed"));
        seen = await m.WaitFor(third, x => Text(x, "status") == "error", "error");
        var failedAt = Text(seen, "updated_at");
        await m.Append(server, "mia", "mig-project", new ServerResizeReverted(server, third.Migration, src, now));
        seen = await m.WaitFor(third, x => Text(x, "updated_at") != failedAt, "revert after the failure applied");
        Assert.Equal("error", Text(seen, "status"));

        // The server's three migrations, newest first, each with its own growing id.
        var list = await List($"?instance_uuid={server}", "2.59");
        Assert.Equal([third.Migration.ToString(), second.Migration.ToString(), first.Migration.ToString()], Uuids(list));
        var ids = list.Select(x => x!["id"]!.GetValue<long>()).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
    }

    [Fact]
    public async Task Under_a_server_only_live_migrations_in_progress_are_listed_as_in_nova()
    {
        var server = m.Confirmed.Server;
        var id = (await List($"?instance_uuid={server}"))[0]!["id"]!.GetValue<long>();

        var (status, body) = await Admin("2.23").Get($"/v2.1/servers/{server}/migrations");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body!["migrations"]!.AsArray());
        (status, body) = await Admin("2.59").Get($"/v2.1/servers/{m.Reverted.Server}/migrations");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body!["migrations"]!.AsArray());

        (status, body) = await Admin("2.23").Get($"/v2.1/servers/{server}/migrations/{id}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal($"Migration {id} for server {server} is not live-migration.", Text(body!["itemNotFound"], "message"));
        (status, body) = await Admin("2.23").Get($"/v2.1/servers/{server}/migrations/999999999");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal($"In-progress live migration 999999999 is not found for server {server}.", Text(body!["itemNotFound"], "message"));
        // Another server's migration is not this one's.
        var other = (await List($"?instance_uuid={m.Reverted.Server}"))[0]!["id"]!.GetValue<long>();
        (status, body) = await Admin("2.23").Get($"/v2.1/servers/{server}/migrations/{other}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.StartsWith("In-progress live migration", Text(body!["itemNotFound"], "message"));
        (status, _) = await Admin("2.23").Get($"/v2.1/servers/{server}/migrations/abc");
        Assert.Equal(HttpStatusCode.NotFound, status);

        // No such resource before 2.23; no such server; the server's own member may not, another project's sees no server.
        (status, _) = await Admin().Get($"/v2.1/servers/{server}/migrations");
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, body) = await Admin("2.23").Get($"/v2.1/servers/{Guid.NewGuid()}/migrations");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.EndsWith("could not be found.", Text(body!["itemNotFound"], "message"));
        (status, body) = await m.Stack.Client(MigrationStack.Member, "2.23").Get($"/v2.1/servers/{server}/migrations");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Policy doesn't allow os_compute_api:servers:migrations:index to be performed.", Text(body!["forbidden"], "message"));
        (status, _) = await m.Stack.Client(MigrationStack.Member, "2.23").Get($"/v2.1/servers/{server}/migrations/{id}");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        (status, _) = await m.Stack.Client(MigrationStack.Outsider, "2.23").Get($"/v2.1/servers/{server}/migrations");
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, _) = await Admin("2.23").Get($"/v2.1/servers/{m.Deleted.Server}/migrations");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task A_rebuild_of_the_migrations_builds_the_documents_the_daemon_built()
    {
        await Eventually.True(async () =>
        {
            var positions = await Projections.Progress.ProjectionPositions.Read(m.Stack.Store, CancellationToken.None);
            return positions.Projections.Any(p => p.Name == "MigrationView:All" && p.Position > 0 && p.LagEvents == 0);
        }, TimeSpan.FromSeconds(20), "the daemon's MigrationView shard caught up");
        var before = await m.Documents();
        Assert.True(before.Count >= 4);
        await m.Sql($"update nova.mt_doc_migrationview set data = jsonb_set(data, '{{Status}}', '\"garbage\"') where id = '{m.Confirmed.Migration}'");
        await m.Sql($"delete from nova.mt_doc_migrationview where id = '{m.Reverted.Migration}'");

        var (exit, output, error) = await Manage("projections", "rebuild", "MigrationView");

        Assert.True(exit == 0, error + output);
        Assert.Contains("rebuilt MigrationView", output);
        Assert.Equal(before, await m.Documents());
        Assert.Equal("confirmed", Text((await List($"?instance_uuid={m.Confirmed.Server}"))[0], "status"));

        // One server's replay repairs its migrations too.
        await m.Sql($"update nova.mt_doc_migrationview set data = jsonb_set(data, '{{DestCompute}}', '\"elsewhere\"') where id = '{m.Failed.Migration}'");
        (exit, output, error) = await Manage("projections", "rebuild-server", m.Failed.Server.ToString());
        Assert.True(exit == 0, error + output);
        Assert.Contains("MigrationView", output);
        Assert.Equal(before, await m.Documents());
    }

    private async Task<(int Exit, string Out, string Error)> Manage(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await Nova.Manage.NovaManage.Run(args, new Nova.Manage.ManageContext(m.ConnectionString, output, error, Terminal: false), CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }
}
