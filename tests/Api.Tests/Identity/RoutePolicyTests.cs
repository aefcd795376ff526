using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nova.Api.Identity;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Identity;

/// <summary>What a caller gets: the resource, a refusal, "no such thing", or at least past the policy (any non-401/403).</summary>
public enum Outcome { Ok, Forbidden, NotFound, PastPolicy }

/// <summary>
/// One request per route (some routes twice, for a query or an action), and what each caller gets: a member of
/// another project, a reader of the owning project, the cloud admin. Without a token every one of them is 401.
/// <c>Fresh</c> rows get a resource of their own (they delete or fill it).
/// </summary>
public sealed record RouteCase(string Name, string Route, string Method, string Path, Outcome Other, Outcome Reader, Outcome Admin,
    object? Body = null, bool Fresh = false, string Microversion = "2.53");

/// <summary>Nova's default policy on every route, four ways: no token, another project's member, a reader, the admin.</summary>
[Collection(KeystoneCollection.Name)]
public sealed class RoutePolicyTests(KeystoneCloud cloud)
{
    private const Outcome Ok = Outcome.Ok, No = Outcome.Forbidden, Gone = Outcome.NotFound, Past = Outcome.PastPolicy;
    private static readonly object NewServer = new { server = new { name = "policy", flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, networks = "none" } };

    public static readonly IReadOnlyList<RouteCase> Routes =
    [
        new("list servers", "GET /v2.1/servers", "GET", "/v2.1/servers", Ok, Ok, Ok),
        new("list servers of all projects", "GET /v2.1/servers", "GET", "/v2.1/servers?all_tenants=1", No, No, Ok),
        new("list servers in detail", "GET /v2.1/servers/detail", "GET", "/v2.1/servers/detail", Ok, Ok, Ok),
        new("show server", "GET /v2.1/servers/{id}", "GET", "/v2.1/servers/{server}", Gone, Ok, Ok),
        new("create server", "POST /v2.1/servers", "POST", "/v2.1/servers", Ok, No, Ok, NewServer),
        new("delete server", "DELETE /v2.1/servers/{id}", "DELETE", "/v2.1/servers/{server}", Gone, No, Ok, Fresh: true),
        new("stop server", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", Gone, No, Past, new JsonObject { ["os-stop"] = null }),
        new("start server", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", Gone, No, Past, new JsonObject { ["os-start"] = null }),
        new("reboot server", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", Gone, No, Past, new { reboot = new { type = "SOFT" } }),
        // Fresh: they change the server's state, which the other rows' server must keep (ACTIVE).
        new("pause server", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", Gone, No, Past, new JsonObject { ["pause"] = null }, Fresh: true),
        new("shelve server", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", Gone, No, Past, new JsonObject { ["shelve"] = null }, Fresh: true),
        new("unpause server", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", Gone, No, Past, new JsonObject { ["unpause"] = null }, Fresh: true),
        new("suspend server", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", Gone, No, Past, new JsonObject { ["suspend"] = null }, Fresh: true),
        new("resume server", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", Gone, No, Past, new JsonObject { ["resume"] = null }, Fresh: true),
        new("rescue server", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", Gone, No, Past, new JsonObject { ["rescue"] = null }, Fresh: true),
        new("unrescue server", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", Gone, No, Past, new JsonObject { ["unrescue"] = null }, Fresh: true),
        new("shelve offload server", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", Gone, No, Past, new JsonObject { ["shelveOffload"] = null }, Fresh: true),
        new("unshelve server", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", Gone, No, Past, new JsonObject { ["unshelve"] = null }, Fresh: true),
        new("lock server", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", Gone, No, Past, new { @lock = new { } }),
        new("unlock server", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", Gone, No, Past, new JsonObject { ["unlock"] = null }),
        new("console output", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", Gone, No, Ok, new JsonObject { ["os-getConsoleOutput"] = new JsonObject() }),
        new("reset state", "POST /v2.1/servers/{id}/action", "POST", "/v2.1/servers/{server}/action", No, No, Ok, new JsonObject { ["os-resetState"] = new JsonObject { ["state"] = "active" } }),
        // On the shared server (a fresh one each would exhaust the project's instance quota). Metadata and tag writes depend on
        // its state (409 while another row's action runs on it): past the policy is enough there.
        new("update server", "PUT /v2.1/servers/{id}", "PUT", "/v2.1/servers/{server}", Gone, No, Ok, new { server = new { name = "policy" } }),
        new("list server addresses", "GET /v2.1/servers/{id}/ips", "GET", "/v2.1/servers/{server}/ips", Gone, Ok, Ok),
        new("show server addresses on a network", "GET /v2.1/servers/{id}/ips/{network}", "GET", "/v2.1/servers/{server}/ips/private", Gone, Past, Past),
        new("list server metadata", "GET /v2.1/servers/{id}/metadata", "GET", "/v2.1/servers/{server}/metadata", Gone, Ok, Ok),
        new("show server metadata item", "GET /v2.1/servers/{id}/metadata/{key}", "GET", "/v2.1/servers/{server}/metadata/policy", Gone, Past, Past),
        new("merge server metadata", "POST /v2.1/servers/{id}/metadata", "POST", "/v2.1/servers/{server}/metadata", Gone, No, Past, new { metadata = new { policy = "1" } }),
        new("replace server metadata", "PUT /v2.1/servers/{id}/metadata", "PUT", "/v2.1/servers/{server}/metadata", Gone, No, Past, new { metadata = new { policy = "1" } }),
        new("set server metadata item", "PUT /v2.1/servers/{id}/metadata/{key}", "PUT", "/v2.1/servers/{server}/metadata/policy", Gone, No, Past, new { meta = new { policy = "1" } }),
        new("delete server metadata item", "DELETE /v2.1/servers/{id}/metadata/{key}", "DELETE", "/v2.1/servers/{server}/metadata/policy", Gone, No, Past),
        new("list server tags", "GET /v2.1/servers/{id}/tags", "GET", "/v2.1/servers/{server}/tags", Gone, Ok, Ok),
        new("check server tag", "GET /v2.1/servers/{id}/tags/{tag}", "GET", "/v2.1/servers/{server}/tags/policy", Gone, Past, Past),
        new("replace server tags", "PUT /v2.1/servers/{id}/tags", "PUT", "/v2.1/servers/{server}/tags", Gone, No, Past, new { tags = new[] { "policy" } }),
        new("delete server tags", "DELETE /v2.1/servers/{id}/tags", "DELETE", "/v2.1/servers/{server}/tags", Gone, No, Past),
        new("add server tag", "PUT /v2.1/servers/{id}/tags/{tag}", "PUT", "/v2.1/servers/{server}/tags/policy", Gone, No, Past),
        new("remove server tag", "DELETE /v2.1/servers/{id}/tags/{tag}", "DELETE", "/v2.1/servers/{server}/tags/policy", Gone, No, Past),
        new("list instance actions", "GET /v2.1/servers/{id}/os-instance-actions", "GET", "/v2.1/servers/{server}/os-instance-actions", Gone, Ok, Ok),
        new("show instance action", "GET /v2.1/servers/{id}/os-instance-actions/{requestId}", "GET", "/v2.1/servers/{server}/os-instance-actions/{request}", Gone, Ok, Ok),
        new("server event history", "GET /v2.1/servers/{id}/events", "GET", "/v2.1/servers/{server}/events", Gone, Ok, Ok),
        new("server as of a version", "GET /v2.1/servers/{id}", "GET", "/v2.1/servers/{server}?as_of_version=1", Gone, Ok, Ok),
        new("global event feed", "GET /v2.1/events", "GET", "/v2.1/events?limit=5", No, No, Ok),
        new("event export", "GET /v2.1/events/export", "GET", "/v2.1/events/export?server_id={server}", No, No, Ok),
        new("verify hash chains", "GET /v2.1/events/verify", "GET", "/v2.1/events/verify?server_id={server}", No, No, Ok),
        // Key pairs are a user's: the reader and another project's member have their own; naming the owner is for admins.
        new("list keypairs", "GET /v2.1/os-keypairs", "GET", "/v2.1/os-keypairs", Ok, Ok, Ok),
        new("list another user's keypairs", "GET /v2.1/os-keypairs", "GET", "/v2.1/os-keypairs?user_id={keypairUser}", No, No, Ok),
        new("show own keypair", "GET /v2.1/os-keypairs/{name}", "GET", "/v2.1/os-keypairs/{keypair}", Gone, Gone, Gone),
        new("show another user's keypair", "GET /v2.1/os-keypairs/{name}", "GET", "/v2.1/os-keypairs/{keypair}?user_id={keypairUser}", No, No, Ok),
        new("create keypair", "POST /v2.1/os-keypairs", "POST", "/v2.1/os-keypairs", Ok, Ok, Ok, "keypair"),
        new("delete another user's keypair", "DELETE /v2.1/os-keypairs/{name}", "DELETE", "/v2.1/os-keypairs/{keypair}?user_id={keypairUser}", No, No, Ok, Fresh: true),
        new("list migrations", "GET /v2.1/os-migrations", "GET", "/v2.1/os-migrations", No, No, Ok),
        new("list server migrations", "GET /v2.1/servers/{id}/migrations", "GET", "/v2.1/servers/{server}/migrations", Gone, No, Ok),
        // The admin passes the policy; a cold or no migration is not a live one in progress: 404, as in Nova.
        new("show server migration", "GET /v2.1/servers/{id}/migrations/{migrationId}", "GET", "/v2.1/servers/{server}/migrations/1", Gone, No, Gone),
        new("list flavors", "GET /v2.1/flavors", "GET", "/v2.1/flavors", Ok, Ok, Ok),
        new("list flavors in detail", "GET /v2.1/flavors/detail", "GET", "/v2.1/flavors/detail", Ok, Ok, Ok),
        new("show flavor", "GET /v2.1/flavors/{id}", "GET", "/v2.1/flavors/1", Ok, Ok, Ok),
        new("flavor extra specs", "GET /v2.1/flavors/{id}/os-extra_specs", "GET", "/v2.1/flavors/1/os-extra_specs", Ok, Ok, Ok),
        new("create flavor", "POST /v2.1/flavors", "POST", "/v2.1/flavors", No, No, Ok, "flavor"),
        new("delete flavor", "DELETE /v2.1/flavors/{id}", "DELETE", "/v2.1/flavors/{flavor}", No, No, Ok, Fresh: true),
        // The compute image proxy ends at 2.35, its metadata at 2.38 (Nova's microversions).
        new("list images", "GET /v2.1/images", "GET", "/v2.1/images", Ok, Ok, Ok, Microversion: "2.35"),
        new("list images in detail", "GET /v2.1/images/detail", "GET", "/v2.1/images/detail", Ok, Ok, Ok, Microversion: "2.35"),
        new("show private image", "GET /v2.1/images/{id}", "GET", "/v2.1/images/{image}", Gone, Ok, Ok, Microversion: "2.35"),
        new("delete image (compute proxy)", "DELETE /v2.1/images/{id}", "DELETE", "/v2.1/images/{image}", Gone, No, Ok, Fresh: true, Microversion: "2.35"),
        new("list image metadata", "GET /v2.1/images/{id}/metadata", "GET", "/v2.1/images/{image}/metadata", Gone, Ok, Ok, Microversion: "2.38"),
        new("show image metadata item", "GET /v2.1/images/{id}/metadata/{key}", "GET", "/v2.1/images/{image}/metadata/policy", Gone, Past, Past, Microversion: "2.38"),
        new("merge image metadata", "POST /v2.1/images/{id}/metadata", "POST", "/v2.1/images/{image}/metadata", Gone, No, Ok, new { metadata = new { policy = "1" } }, Microversion: "2.38"),
        new("replace image metadata", "PUT /v2.1/images/{id}/metadata", "PUT", "/v2.1/images/{image}/metadata", Gone, No, Ok, new { metadata = new { policy = "1" } }, Microversion: "2.38"),
        new("set image metadata item", "PUT /v2.1/images/{id}/metadata/{key}", "PUT", "/v2.1/images/{image}/metadata/policy", Gone, No, Ok, new { meta = new { policy = "1" } }, Microversion: "2.38"),
        new("delete image metadata item", "DELETE /v2.1/images/{id}/metadata/{key}", "DELETE", "/v2.1/images/{image}/metadata/policy", Gone, No, Past, Microversion: "2.38"),
        new("show version", "GET /v2.1/versions/{id}", "GET", "/v2.1/versions/v2.1", Ok, Ok, Ok),
        new("list extensions", "GET /v2.1/extensions", "GET", "/v2.1/extensions", Ok, Ok, Ok),
        new("show extension", "GET /v2.1/extensions/{alias}", "GET", "/v2.1/extensions/os-consoles", Ok, Ok, Ok),
        // At 2.53 the update route does not exist yet: 404 for everyone, as in Nova.
        new("update flavor", "PUT /v2.1/flavors/{id}", "PUT", "/v2.1/flavors/{flavor}", Gone, Gone, Gone, new { flavor = new { description = "d" } }, Fresh: true),
        new("show flavor extra spec", "GET /v2.1/flavors/{id}/os-extra_specs/{key}", "GET", "/v2.1/flavors/1/os-extra_specs/policy", Past, Past, Past),
        new("set flavor extra specs", "POST /v2.1/flavors/{id}/os-extra_specs", "POST", "/v2.1/flavors/{flavor}/os-extra_specs", No, No, Ok,
            new { extra_specs = new { policy = "1" } }, Fresh: true),
        new("update flavor extra spec", "PUT /v2.1/flavors/{id}/os-extra_specs/{key}", "PUT", "/v2.1/flavors/{flavor}/os-extra_specs/policy", No, No, Ok,
            new { policy = "1" }, Fresh: true),
        new("delete flavor extra spec", "DELETE /v2.1/flavors/{id}/os-extra_specs/{key}", "DELETE", "/v2.1/flavors/{flavor}/os-extra_specs/policy", No, No, Past, Fresh: true),
        new("flavor access list", "GET /v2.1/flavors/{id}/os-flavor-access", "GET", "/v2.1/flavors/1/os-flavor-access", No, No, Past),
        // A fresh flavor is public: from 2.7 the admin's add is past the policy and refused with 409.
        new("add flavor access", "POST /v2.1/flavors/{id}/action", "POST", "/v2.1/flavors/{flavor}/action", No, No, Past,
            new { addTenantAccess = new { tenant = "policy" } }, Fresh: true),
        new("remove flavor access", "POST /v2.1/flavors/{id}/action", "POST", "/v2.1/flavors/{flavor}/action", No, No, Past,
            new { removeTenantAccess = new { tenant = "policy" } }, Fresh: true),
        new("limits", "GET /v2.1/limits", "GET", "/v2.1/limits", Ok, Ok, Ok),
        new("show quotas", "GET /v2.1/os-quota-sets/{project}", "GET", "/v2.1/os-quota-sets/{project}", No, Ok, Ok),
        new("default quotas", "GET /v2.1/os-quota-sets/{project}/defaults", "GET", "/v2.1/os-quota-sets/{project}/defaults", Ok, Ok, Ok),
        new("quota detail", "GET /v2.1/os-quota-sets/{project}/detail", "GET", "/v2.1/os-quota-sets/{project}/detail", No, Ok, Ok),
        new("update quotas", "PUT /v2.1/os-quota-sets/{project}", "PUT", "/v2.1/os-quota-sets/{project}", No, No, Ok, new { quota_set = new { instances = 50 } }),
        new("reset quotas", "DELETE /v2.1/os-quota-sets/{project}", "DELETE", "/v2.1/os-quota-sets/{project}", No, No, Ok),
        new("show quota class", "GET /v2.1/os-quota-class-sets/{id}", "GET", "/v2.1/os-quota-class-sets/default", No, No, Ok),
        // Nova's default metadata_items: the default class the other rows' project falls back to stays as it was.
        new("update quota class", "PUT /v2.1/os-quota-class-sets/{id}", "PUT", "/v2.1/os-quota-class-sets/default", No, No, Ok,
            new { quota_class_set = new { metadata_items = 128 } }),
        new("list tenant usage", "GET /v2.1/os-simple-tenant-usage", "GET", "/v2.1/os-simple-tenant-usage?detailed=1", No, No, Ok),
        new("show tenant usage", "GET /v2.1/os-simple-tenant-usage/{project}", "GET", "/v2.1/os-simple-tenant-usage/{project}", No, Ok, Ok),
        new("list usage audit logs", "GET /v2.1/os-instance_usage_audit_log", "GET", "/v2.1/os-instance_usage_audit_log", No, No, Ok),
        new("show usage audit log", "GET /v2.1/os-instance_usage_audit_log/{before}", "GET", "/v2.1/os-instance_usage_audit_log/2026-03-15%2010:00:00", No, No, Ok),
        new("list server groups", "GET /v2.1/os-server-groups", "GET", "/v2.1/os-server-groups", Ok, Ok, Ok),
        new("show server group", "GET /v2.1/os-server-groups/{id}", "GET", "/v2.1/os-server-groups/{group}", Gone, Ok, Ok),
        new("create server group", "POST /v2.1/os-server-groups", "POST", "/v2.1/os-server-groups", Ok, No, Ok, new { server_group = new { name = "g", policies = new[] { "affinity" } } }),
        new("delete server group", "DELETE /v2.1/os-server-groups/{id}", "DELETE", "/v2.1/os-server-groups/{group}", Gone, No, Ok, Fresh: true),
        new("list services", "GET /v2.1/os-services", "GET", "/v2.1/os-services", No, No, Ok),
        new("update service", "PUT /v2.1/os-services/{id}", "PUT", "/v2.1/os-services/{nothing}", No, No, Past, new { status = "enabled" }),
        new("delete service", "DELETE /v2.1/os-services/{id}", "DELETE", "/v2.1/os-services/{nothing}", No, No, Past),
        new("list aggregates", "GET /v2.1/os-aggregates", "GET", "/v2.1/os-aggregates", No, No, Ok),
        new("show aggregate", "GET /v2.1/os-aggregates/{id}", "GET", "/v2.1/os-aggregates/999999", No, No, Past),
        new("create aggregate", "POST /v2.1/os-aggregates", "POST", "/v2.1/os-aggregates", No, No, Past, new { aggregate = new { name = "policy-rack" } }),
        new("update aggregate", "PUT /v2.1/os-aggregates/{id}", "PUT", "/v2.1/os-aggregates/999999", No, No, Past, new { aggregate = new { name = "renamed" } }),
        new("delete aggregate", "DELETE /v2.1/os-aggregates/{id}", "DELETE", "/v2.1/os-aggregates/999999", No, No, Past),
        new("aggregate add host", "POST /v2.1/os-aggregates/{id}/action", "POST", "/v2.1/os-aggregates/999999/action", No, No, Past, new { add_host = new { host = "fake-1" } }),
        new("aggregate set metadata", "POST /v2.1/os-aggregates/{id}/action", "POST", "/v2.1/os-aggregates/999999/action", No, No, Past, new { set_metadata = new { metadata = new { rack = "r1" } } }),
        new("list hypervisors", "GET /v2.1/os-hypervisors", "GET", "/v2.1/os-hypervisors", No, No, Ok),
        new("list hypervisors in detail", "GET /v2.1/os-hypervisors/detail", "GET", "/v2.1/os-hypervisors/detail", No, No, Ok),
        new("hypervisor statistics", "GET /v2.1/os-hypervisors/statistics", "GET", "/v2.1/os-hypervisors/statistics", No, No, Past),
        new("show hypervisor", "GET /v2.1/os-hypervisors/{id}", "GET", "/v2.1/os-hypervisors/{nothing}", No, No, Past),
        new("hypervisor uptime", "GET /v2.1/os-hypervisors/{id}/uptime", "GET", "/v2.1/os-hypervisors/{nothing}/uptime", No, No, Past),
        new("search hypervisors", "GET /v2.1/os-hypervisors/{pattern}/search", "GET", "/v2.1/os-hypervisors/fake/search", No, No, Past),
        new("hypervisor servers", "GET /v2.1/os-hypervisors/{pattern}/servers", "GET", "/v2.1/os-hypervisors/fake/servers", No, No, Past),
        new("list zones", "GET /v2.1/os-availability-zone", "GET", "/v2.1/os-availability-zone", Ok, Ok, Ok),
        new("list zones in detail", "GET /v2.1/os-availability-zone/detail", "GET", "/v2.1/os-availability-zone/detail", No, No, Ok),
        new("registry: list images", "GET /image/v2/images", "GET", "/image/v2/images", Ok, Ok, Ok),
        new("registry: show private image", "GET /image/v2/images/{id}", "GET", "/image/v2/images/{image}", Gone, Ok, Ok),
        new("registry: create image", "POST /image/v2/images", "POST", "/image/v2/images", Ok, No, Ok, new { name = "policy", disk_format = "raw", container_format = "bare" }),
        new("registry: delete image", "DELETE /image/v2/images/{id}", "DELETE", "/image/v2/images/{image}", Gone, No, Ok, Fresh: true),
        new("registry: upload image data", "PUT /image/v2/images/{id}/file", "PUT", "/image/v2/images/{image}/file", Gone, No, Ok, new byte[] { 1, 2, 3, 4 }, Fresh: true),
        new("registry: download image data", "GET /image/v2/images/{id}/file", "GET", "/image/v2/images/{image}/file", Gone, Ok, Ok),
    ];

    public static IEnumerable<object[]> Cases() =>
        Routes.SelectMany(r => new[] { "nobody", "other project's member", "reader", "admin" }.Select(who => new object[] { r.Name, who }));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_route_answers_each_caller_as_the_policy_says(string route, string who)
    {
        var row = Routes.Single(r => r.Name == route);
        var targets = await cloud.Targets();
        var path = row.Path
            .Replace("{server}", row.Fresh && row.Path.Contains("{server}") ? await targets.FreshServer() : targets.Server)
            .Replace("{flavor}", row.Fresh && row.Path.Contains("{flavor}") ? await targets.FreshFlavor() : "1")
            .Replace("{group}", row.Fresh && row.Path.Contains("{group}") ? await targets.FreshGroup() : targets.Group)
            .Replace("{image}", row.Fresh && row.Path.Contains("{image}") ? await targets.FreshImage() : targets.Image)
            .Replace("{keypair}", row.Fresh && row.Path.Contains("{keypair}") ? await targets.FreshKeyPair() : targets.KeyPair)
            .Replace("{keypairUser}", targets.KeyPairUser)
            .Replace("{request}", targets.CreateRequest)
            .Replace("{project}", cloud.OwnProjectId)
            .Replace("{nothing}", Guid.NewGuid().ToString());
        (string? token, Outcome? expected) = who switch
        {
            "nobody" => ((string?)null, (Outcome?)null),
            "other project's member" => (cloud.OutsiderToken, (Outcome?)row.Other),
            "reader" => (cloud.ReaderToken, (Outcome?)row.Reader),
            _ => (cloud.AdminToken, (Outcome?)row.Admin),
        };

        using var request = new HttpRequestMessage(new HttpMethod(row.Method), path);
        if (token is not null) request.Headers.Add("X-Auth-Token", token);
        request.Headers.Add("OpenStack-API-Version", $"compute {row.Microversion}");
        request.Content = row.Body switch
        {
            null => null,
            byte[] bytes => new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
            "flavor" => Json(new { flavor = new { name = "policy-" + Guid.NewGuid().ToString("N")[..8], ram = 64, vcpus = 1, disk = 1 } }),
            "keypair" => Json(new { keypair = new { name = "policy-" + Guid.NewGuid().ToString("N")[..8] } }),
            var body => Json(body),
        };
        using var http = new HttpClient { BaseAddress = cloud.Stack.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.SendAsync(request);
        var status = (int)response.StatusCode;
        var said = $"{row.Method} {path} as {who}: {status} {await response.Content.ReadAsStringAsync()}";
        switch (expected)
        {
            case null: Assert.True(status == 401, said); break;
            case Outcome.Ok: Assert.True(status is >= 200 and < 300, said); break;
            case Outcome.Forbidden: Assert.True(status == 403, said); break;
            case Outcome.NotFound: Assert.True(status == 404, said); break;
            default: Assert.True(status is not (401 or 403 or 500 or 503), said); break; // 501: an action not built yet
        }
    }

    [Fact]
    public void Every_route_has_a_policy_rule_and_a_four_way_case()
    {
        var mapped = cloud.Stack.Services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints)
            .Select(RoutePolicies.KeyOf).OfType<string>().ToHashSet();
        Assert.NotEmpty(mapped);
        Assert.Empty(mapped.Except(RoutePolicies.Rules.Keys));
        Assert.Empty(mapped.Except(Routes.Select(r => r.Route)));
        Assert.Empty(RoutePolicies.Rules.Keys.Except(mapped)); // no stale rows either
    }

    [Fact]
    public async Task Another_projects_member_sees_none_of_it()
    {
        var targets = await cloud.Targets();
        using var outsider = cloud.Stack.Client(cloud.OutsiderToken);
        var servers = (await outsider.Get("/v2.1/servers/detail")).Body!["servers"]!.AsArray();
        Assert.DoesNotContain(servers, s => s!["id"]!.GetValue<string>() == targets.Server);
        var images = (await outsider.Get("/image/v2/images")).Body!["images"]!.AsArray();
        Assert.DoesNotContain(images, i => i!["id"]!.GetValue<string>() == targets.Image);
        // …while the reader of the owning project sees both.
        using var reader = cloud.Stack.Client(cloud.ReaderToken);
        Assert.Contains((await reader.Get("/v2.1/servers")).Body!["servers"]!.AsArray(), s => s!["id"]!.GetValue<string>() == targets.Server);
        Assert.Contains((await reader.Get("/image/v2/images")).Body!["images"]!.AsArray(), i => i!["id"]!.GetValue<string>() == targets.Image);
    }

    [Fact]
    public async Task A_reader_of_another_project_finds_no_server_to_act_on_as_in_nova()
    {
        var targets = await cloud.Targets();
        var name = "far-reader-" + Guid.NewGuid().ToString("N")[..6];
        await cloud.Keystone.CreateUser(name, KeystoneCloud.Password, cloud.OtherProjectId, "reader");
        using var farReader = cloud.Stack.Client(await cloud.Keystone.Token(name, KeystoneCloud.Password, cloud.OtherProject));

        // The server is looked up before any rule is asked: its existence is not told by a 403.
        Assert.Equal(HttpStatusCode.NotFound, await farReader.Act(targets.Server, new JsonObject { ["os-stop"] = null }));
        Assert.Equal(HttpStatusCode.NotFound, await farReader.Act(targets.Server, new { reboot = new { type = "HARD" } }));
        Assert.Equal(HttpStatusCode.NotFound, (await farReader.Send(HttpMethod.Delete, $"/v2.1/servers/{targets.Server}")).Status);
        // In its own project the reader is still refused the action itself.
        using var reader = cloud.Stack.Client(cloud.ReaderToken);
        Assert.Equal(HttpStatusCode.Forbidden, await reader.Act(targets.Server, new JsonObject { ["os-stop"] = null }));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Send(HttpMethod.Delete, $"/v2.1/servers/{targets.Server}")).Status);
    }

    [Fact]
    public async Task Only_the_admin_sees_host_attributes()
    {
        var targets = await cloud.Targets();
        using var member = cloud.Stack.Client(cloud.MemberToken, "2.53");
        using var admin = cloud.Stack.Client(cloud.AdminToken, "2.53");
        Assert.Null((await member.Server(targets.Server))["OS-EXT-SRV-ATTR:host"]);
        await admin.WaitForStatus(targets.Server, "ACTIVE");
        Assert.NotNull((await admin.Server(targets.Server))["OS-EXT-SRV-ATTR:host"]);
    }

    [Fact]
    public async Task A_server_locked_by_the_admin_refuses_its_owner_with_409()
    {
        using var member = cloud.Stack.Client(cloud.MemberToken, "2.53");
        using var admin = cloud.Stack.Client(cloud.AdminToken, "2.53");
        var id = await member.CreateServer("locked-" + Guid.NewGuid().ToString("N")[..6]);
        await member.WaitForStatus(id, "ACTIVE");
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new { @lock = new { } }));
        Assert.Equal(HttpStatusCode.Conflict, await member.Act(id, new JsonObject { ["os-stop"] = null }));
        Assert.Equal(HttpStatusCode.Conflict, await member.Act(id, new JsonObject { ["unlock"] = null }));
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new JsonObject { ["os-stop"] = null }));
    }

    [Fact]
    public async Task The_admin_resets_a_servers_state_and_the_owner_sees_it()
    {
        using var member = cloud.Stack.Client(cloud.MemberToken, "2.53");
        using var admin = cloud.Stack.Client(cloud.AdminToken, "2.53");
        var id = await member.CreateServer("reset-" + Guid.NewGuid().ToString("N")[..6]);
        await member.WaitForStatus(id, "ACTIVE");
        Assert.Equal(HttpStatusCode.Forbidden, await member.Act(id, new JsonObject { ["os-resetState"] = new JsonObject { ["state"] = "error" } }));
        Assert.Equal(HttpStatusCode.BadRequest, await admin.Act(id, new JsonObject { ["os-resetState"] = new JsonObject { ["state"] = "paused" } }));
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new JsonObject { ["os-resetState"] = new JsonObject { ["state"] = "error" } }));
        Assert.Equal("ERROR", (await member.Server(id))["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new JsonObject { ["os-resetState"] = new JsonObject { ["state"] = "active" } }));
        Assert.Equal("ACTIVE", (await member.Server(id))["status"]!.GetValue<string>());
    }

    private static StringContent Json(object body) =>
        new(body is JsonNode node ? node.ToJsonString() : System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}

/// <summary>The command handlers apply the same rules without the REST layer (what a gRPC endpoint relies on).</summary>
[Collection(KeystoneCollection.Name)]
public sealed class CommandPolicyTests(KeystoneCloud cloud)
{
    [Fact]
    public async Task A_reader_sending_a_command_directly_is_refused_and_changes_nothing()
    {
        var targets = await cloud.Targets();
        var before = await StreamVersion(Guid.Parse(targets.Server));
        using var scope = cloud.Stack.Services.CreateScope();
        var caller = scope.ServiceProvider.GetRequiredService<Nova.Commands.Requests.Caller>();
        caller.UserId = "a-reader";
        caller.ProjectId = cloud.OwnProjectId;
        caller.Roles = new HashSet<string> { "reader" };
        var mediator = scope.ServiceProvider.GetRequiredService<Mediator.IMediator>();
        await Assert.ThrowsAsync<Nova.Commands.Requests.Forbidden>(async () =>
            await mediator.Send(new Nova.Commands.Servers.Stopping.StopServer(Guid.Parse(targets.Server))));
        await Assert.ThrowsAsync<Nova.Commands.Requests.Forbidden>(async () =>
            await mediator.Send(new Nova.Commands.Servers.Deleting.DeleteServer(Guid.Parse(targets.Server))));
        Assert.Equal(before, await StreamVersion(Guid.Parse(targets.Server)));
    }

    private async Task<long?> StreamVersion(Guid id)
    {
        await using var session = cloud.Stack.Store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(id))?.Version;
    }
}
