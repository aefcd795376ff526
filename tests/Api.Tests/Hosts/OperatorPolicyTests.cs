using System.Net;
using Nova.Api.Tests.Infrastructure;
using Nova.Commands.Hosts;
using Nova.Domain.Hosts;

namespace Nova.Api.Tests.Hosts;

/// <summary>Every operator route refuses a project member with Nova's 403 and changes nothing.</summary>
[Collection(StackCollection.Name)]
public sealed class OperatorPolicyTests(ControlPlaneStack stack)
{
    public static TheoryData<string, string, string, string?, string> Routes()
    {
        var intId = ServiceIds.For("fake-1").ToString();
        var uuid = ComputeHostId.From("fake-1").ToString();
        return new()
        {
            { "GET", "/v2.1/os-services", "2.1", null, "os_compute_api:os-services:list" },
            { "PUT", $"/v2.1/os-services/{uuid}", "2.53", """{"status": "disabled", "disabled_reason": "not yours"}""", "os_compute_api:os-services:update" },
            { "PUT", "/v2.1/os-services/disable", "2.1", """{"host": "fake-1", "binary": "nova-compute"}""", "os_compute_api:os-services:update" },
            { "PUT", "/v2.1/os-services/force-down", "2.11", """{"host": "fake-1", "binary": "nova-compute", "forced_down": true}""", "os_compute_api:os-services:update" },
            { "DELETE", $"/v2.1/os-services/{intId}", "2.1", null, "os_compute_api:os-services:delete" },
            { "DELETE", $"/v2.1/os-services/{uuid}", "2.53", null, "os_compute_api:os-services:delete" },
            { "GET", "/v2.1/os-hypervisors", "2.1", null, "os_compute_api:os-hypervisors:list" },
            { "GET", "/v2.1/os-hypervisors/detail", "2.1", null, "os_compute_api:os-hypervisors:list-detail" },
            { "GET", $"/v2.1/os-hypervisors/{intId}", "2.1", null, "os_compute_api:os-hypervisors:show" },
            { "GET", $"/v2.1/os-hypervisors/{uuid}", "2.53", null, "os_compute_api:os-hypervisors:show" },
            { "GET", "/v2.1/os-hypervisors/statistics", "2.1", null, "os_compute_api:os-hypervisors:statistics" },
            { "GET", "/v2.1/os-hypervisors/fake/servers", "2.1", null, "os_compute_api:os-hypervisors:servers" },
            { "GET", "/v2.1/os-hypervisors/fake/search", "2.1", null, "os_compute_api:os-hypervisors:search" },
            { "GET", $"/v2.1/os-hypervisors/{intId}/uptime", "2.1", null, "os_compute_api:os-hypervisors:uptime" },
            { "GET", "/v2.1/os-availability-zone/detail", "2.1", null, "os_compute_api:os-availability-zone:detail" },
        };
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_project_member_is_refused_with_403(string method, string path, string microversion, string? body, string policy)
    {
        var member = stack.Client("erin:operators", microversion);
        var (status, error) = await member.Send(new HttpMethod(method), path, body);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(403, error!["forbidden"]!["code"]!.GetValue<int>());
        Assert.Equal($"Policy doesn't allow {policy} to be performed.", error["forbidden"]!["message"]!.GetValue<string>());

        var host = await stack.ComputeHost("fake-1");
        Assert.True(host is { Enabled: true, ForcedDown: false, Deleted: false, DisabledReason: null });
    }

    [Fact]
    public async Task Any_user_may_list_the_availability_zones_without_hosts()
    {
        var (status, body) = await stack.Client("erin:operators").Get("/v2.1/os-availability-zone");
        Assert.Equal(HttpStatusCode.OK, status);
        var zone = Assert.Single(body!["availabilityZoneInfo"]!.AsArray())!;
        Assert.Equal("nova", zone.Text("zoneName"));
        Assert.True(zone["zoneState"]!["available"]!.GetValue<bool>());
        Assert.True(zone.AsObject().ContainsKey("hosts"));
        Assert.Null(zone["hosts"]);
    }
}
