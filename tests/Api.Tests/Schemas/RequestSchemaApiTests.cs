using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Schemas;

/// <summary>
/// Routes that declare Nova's request schema (WithRequestSchema / WithActionSchemas): a body Nova refuses is a 400
/// with Nova's detail before anything happens, and appends nothing; a body Nova accepts reaches the handler.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class RequestSchemaApiTests(ControlPlaneStack stack)
{
    public static TheoryData<string, string, string, string, string> Refusals => new()
    {
        { "2.1", "POST", "/v2.1/servers", """{"server": {"name": "x", "flavorRef": "1", "imageRef": "IMAGE", "bogus": 1}}""",
            "Invalid input for field/attribute server. Value: {'name': 'x', 'flavorRef': '1', 'imageRef': 'IMAGE', 'bogus': 1}. Additional properties are not allowed ('bogus' was unexpected)" },
        { "2.1", "POST", "/v2.1/servers", """{"server": {"name": "x", "flavorRef": "1", "imageRef": "IMAGE"}, "extra": {}}""",
            "Additional properties are not allowed ('extra' was unexpected)" },
        { "2.1", "PUT", "/v2.1/servers/SERVER", """{"server": {"name": "renamed", "color": "red"}}""",
            "Invalid input for field/attribute server. Value: {'name': 'renamed', 'color': 'red'}. Additional properties are not allowed ('color' was unexpected)" },
        { "2.1", "POST", "/v2.1/servers/SERVER/action", """{"reboot": {"type": "SOFT", "force": true}}""",
            "Invalid input for field/attribute reboot. Value: {'type': 'SOFT', 'force': True}. Additional properties are not allowed ('force' was unexpected)" },
        { "2.1", "POST", "/v2.1/servers/SERVER/action", """{"resize": {"flavorRef": "2", "when": "now"}}""",
            "Invalid input for field/attribute resize. Value: {'flavorRef': '2', 'when': 'now'}. Additional properties are not allowed ('when' was unexpected)" },
        { "2.1", "POST", "/v2.1/servers/SERVER/action", """{"os-resetState": {"state": "active", "x": 1}}""",
            "Invalid input for field/attribute os-resetState. Value: {'state': 'active', 'x': 1}. Additional properties are not allowed ('x' was unexpected)" },
        { "2.1", "POST", "/v2.1/servers/SERVER/action", """{"createImage": {"name": "snap", "public": true}}""",
            "Invalid input for field/attribute createImage. Value: {'name': 'snap', 'public': True}. Additional properties are not allowed ('public' was unexpected)" },
        { "2.1", "POST", "/v2.1/servers/SERVER/action", """{"os-getConsoleOutput": {"length": "ten"}}""",
            "Invalid input for field/attribute length. Value: ten. 'ten' does not match '^-?[0-9]+$'" },
        { "2.1", "POST", "/v2.1/servers/SERVER/action", """{"rescue": {"rescue_image_ref": "IMAGE", "reason": "x"}}""",
            "Invalid input for field/attribute rescue. Value: {'rescue_image_ref': 'IMAGE', 'reason': 'x'}. Additional properties are not allowed ('reason' was unexpected)" },
        { "2.1", "POST", "/v2.1/servers/SERVER/metadata", """{"metadata": {"k": "v"}, "meta": {}}""",
            "Additional properties are not allowed ('meta' was unexpected)" },
        { "2.1", "PUT", "/v2.1/servers/SERVER/metadata/k", """{"meta": {"k": 1}}""",
            "Invalid input for field/attribute k. Value: 1. 1 is not of type 'string'" },
        { "2.26", "PUT", "/v2.1/servers/SERVER/tags", """{"tags": ["a"], "more": ["b"]}""",
            "Additional properties are not allowed ('more' was unexpected)" },
        { "2.1", "POST", "/v2.1/os-keypairs", """{"keypair": {"name": "k", "type": "ssh"}}""",
            "Invalid input for field/attribute keypair. Value: {'name': 'k', 'type': 'ssh'}. Additional properties are not allowed ('type' was unexpected)" },
        { "2.1", "POST", "/v2.1/os-server-groups", """{"server_group": {"name": "g", "policies": ["affinity"], "rules": {}}}""",
            "Invalid input for field/attribute server_group. Value: {'name': 'g', 'policies': ['affinity'], 'rules': {}}. Additional properties are not allowed ('rules' was unexpected)" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Given_a_body_Nova_refuses_when_it_is_sent_then_it_is_a_400_with_Novas_detail_and_nothing_is_appended(
        string version, string method, string path, string body, string detail)
    {
        var client = stack.Client("sol:schemas", version);
        var server = await ExistingServer();
        var before = await stack.EventCount();

        var (status, answer) = await client.Send(new HttpMethod(method), path.Replace("SERVER", server),
            body.Replace("IMAGE", ControlPlaneStack.DefaultImage));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(detail.Replace("IMAGE", ControlPlaneStack.DefaultImage), answer!["badRequest"]!["message"]!.GetValue<string>());
        Assert.Equal(before, await stack.EventCount());
    }

    public static TheoryData<string, string, string, string> AdminRefusals => new()
    {
        { "2.1", "POST", "/v2.1/os-aggregates", """{"aggregate": {"name": "a", "hosts": []}}""" },
        { "2.1", "POST", "/v2.1/os-aggregates/1/action", """{"add_host": {"host": "fake-1", "zone": "z"}}""" },
        { "2.1", "PUT", "/v2.1/os-quota-sets/sol-schemas", """{"quota_set": {"instances": 5, "widgets": 1}}""" },
        { "2.53", "PUT", "/v2.1/os-services/00000000-0000-0000-0000-000000000001", """{"status": "disabled", "why": "x"}""" },
        { "2.1", "PUT", "/v2.1/os-services/disable", """{"host": "fake-1", "binary": "nova-compute", "forced_down": true}""" },
    };

    [Theory]
    [MemberData(nameof(AdminRefusals))]
    public async Task Given_an_admin_body_with_a_property_Nova_does_not_know_when_it_is_sent_then_it_is_a_400_before_anything_is_looked_up(
        string version, string method, string path, string body)
    {
        var admin = stack.Client("admin:admin", version);

        var (status, answer) = await admin.Send(new HttpMethod(method), path, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Additional properties are not allowed", answer!["badRequest"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Given_an_active_server_when_an_admin_migrates_it_with_an_empty_object_at_2_1_then_it_is_accepted()
    {
        var member = stack.Client("sol:schemas");
        var admin = stack.Client("admin:admin");
        var id = await member.CreateServer("migrate-empty");
        await member.WaitForStatus(id, "ACTIVE");

        // Nova checks no migrate body before 2.56: {} is taken like null.
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new { migrate = new { } }));

        var (_, actions) = await admin.Get($"/v2.1/servers/{id}/os-instance-actions");
        Assert.Contains("migrate", actions!["instanceActions"]!.AsArray().Select(a => a!["action"]!.GetValue<string>()));
        // Settled (moved or, with no other host, left where it was) before the next test counts events.
        await Eventually.True(async () => (await admin.Server(id))["OS-EXT-STS:task_state"] is null, TimeSpan.FromSeconds(30), "migrate settled");
    }

    [Fact]
    public async Task Given_a_server_when_it_is_rebuilt_at_2_1_then_the_answer_has_only_Novas_attributes_for_a_rebuild()
    {
        var client = stack.Client("sol:rebuild");
        var id = await client.CreateServer("rebuilt-view");
        await client.WaitForStatus(id, "ACTIVE");

        var (status, body) = await client.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action",
            new { rebuild = new { imageRef = ControlPlaneStack.DefaultImage } });

        Assert.Equal(HttpStatusCode.Accepted, status);
        var server = body!["server"]!.AsObject();
        // Tempest's rebuild_server schema (additionalProperties: false) before 2.54: no key_name, no extension attributes.
        var keys = server.Select(p => p.Key).ToList();
        Assert.DoesNotContain(keys, k => k.StartsWith("OS-EXT-", StringComparison.Ordinal) || k.StartsWith("OS-SRV-USG:", StringComparison.Ordinal));
        foreach (var absent in new[] { "config_drive", "key_name", "security_groups", "os-extended-volumes:volumes_attached", "host_status" })
            Assert.DoesNotContain(absent, keys);
        foreach (var present in new[] { "id", "name", "status", "image", "flavor", "user_id", "tenant_id", "created", "updated", "metadata", "links", "addresses", "hostId", "OS-DCF:diskConfig", "accessIPv4", "accessIPv6", "adminPass" })
            Assert.Contains(present, keys);
        await client.WaitForStatus(id, "ACTIVE", seconds: 30);
    }

    [Fact]
    public async Task Given_a_server_when_it_is_renamed_at_2_53_then_the_answer_has_no_extension_attributes_and_no_key_name()
    {
        var client = stack.Client("sol:rename", "2.53");
        var id = await client.CreateServer("before");
        await client.WaitForStatus(id, "ACTIVE");

        var (status, body) = await client.Send(HttpMethod.Put, $"/v2.1/servers/{id}", new { server = new { name = "after" } });

        Assert.Equal(HttpStatusCode.OK, status);
        var server = (JsonObject)body!["server"]!;
        Assert.Equal("after", server["name"]!.GetValue<string>());
        Assert.False(server.ContainsKey("key_name"));
        Assert.False(server.ContainsKey("OS-EXT-STS:vm_state"));
        Assert.True(server.ContainsKey("locked")); // 2.9
    }

    private static readonly SemaphoreSlim Once = new(1, 1);
    private static string? server;

    private async Task<string> ExistingServer()
    {
        await Once.WaitAsync();
        try
        {
            if (server is null)
            {
                var owner = stack.Client("sol:schemas");
                server = await owner.CreateServer("schema-target");
                await owner.WaitForStatus(server, "ACTIVE");
            }
            return server;
        }
        finally
        {
            Once.Release();
        }
    }
}
