using System.Globalization;
using System.Net;
using Nova.Api.Tests.Infrastructure;
using Nova.Commands.Hosts;
using Nova.Domain.Hosts;

namespace Nova.Api.Tests.Hosts;

/// <summary>GET /os-services on the shared stack: read-only, so fake-1 stays enabled for every other test.</summary>
[Collection(StackCollection.Name)]
public sealed class ComputeServiceListTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task Before_2_53_the_compute_service_has_an_integer_id_and_no_forced_down_field()
    {
        var services = await stack.Client("admin:admin").Services();
        var compute = Assert.Single(services, s => s!.Text("binary") == "nova-compute")!;

        Assert.Equal(ServiceIds.For("fake-1"), compute["id"]!.GetValue<int>());
        Assert.Equal("fake-1", compute.Text("host"));
        Assert.Equal("nova", compute.Text("zone"));
        Assert.Equal("enabled", compute.Text("status"));
        Assert.Equal("up", compute.Text("state"));
        Assert.Null(compute["disabled_reason"]);
        Assert.False(compute.AsObject().ContainsKey("forced_down"));
        // The heartbeat time, in Nova's format (microseconds, no zone), within the last report interval.
        var updated = DateTime.ParseExact(compute.Text("updated_at"), "yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        Assert.InRange(DateTime.UtcNow - updated, TimeSpan.FromSeconds(-5), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task From_2_53_the_id_is_the_host_uuid_and_forced_down_is_shown()
    {
        var compute = await stack.Client("admin:admin", "2.53").ComputeService("fake-1");
        Assert.Equal(ComputeHostId.From("fake-1"), Guid.Parse(compute.Text("id")));
        Assert.False(compute["forced_down"]!.GetValue<bool>());

        var at211 = await stack.Client("admin:admin", "2.11").ComputeService("fake-1");
        Assert.IsType<int>(at211["id"]!.GetValue<int>());
        Assert.False(at211["forced_down"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_control_planes_own_services_are_listed_up_in_the_internal_zone()
    {
        var services = await stack.Client("admin:admin").Services();
        foreach (var binary in new[] { "nova-scheduler", "nova-conductor" })
        {
            var service = Assert.Single(services, s => s!.Text("binary") == binary)!;
            Assert.Equal("internal", service.Text("zone"));
            Assert.Equal(Environment.MachineName, service.Text("host"));
            Assert.Equal("up", service.Text("state"));
            Assert.Equal("enabled", service.Text("status"));
        }
        Assert.Equal(services.Count, services.Select(s => s!["id"]!.GetValue<int>()).Distinct().Count());
    }

    [Fact]
    public async Task Host_and_binary_filters_narrow_the_list()
    {
        var admin = stack.Client("admin:admin");
        Assert.Equal(["nova-compute"], (await admin.Services("?host=fake-1")).Select(s => s!.Text("binary")).ToArray());
        Assert.Equal(["nova-scheduler"], (await admin.Services("?binary=nova-scheduler")).Select(s => s!.Text("binary")).ToArray());
        Assert.Empty(await admin.Services("?host=no-such-host"));
        Assert.Empty(await admin.Services("?host=fake-1&binary=nova-conductor"));
    }

    [Fact]
    public async Task Bad_updates_answer_4xx_in_novas_shape_and_leave_the_service_enabled()
    {
        var admin = stack.Client("admin:admin", "2.53");
        var uuid = (await admin.ComputeService("fake-1")).Text("id");
        var scheduler = (await admin.Services("?binary=nova-scheduler"))[0]!.Text("id");

        async Task Refused(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode status, string fault, string message)
        {
            var (got, error) = await client.Send(method, path, body);
            Assert.True(got == status, $"{method} {path}: {got} {error?.ToJsonString()}");
            Assert.Equal((int)status, error![fault]!["code"]!.GetValue<int>());
            Assert.Contains(message, error[fault]!["message"]!.GetValue<string>());
        }

        await Refused(admin, HttpMethod.Put, "/v2.1/os-services/not-a-uuid", new { status = "disabled" }, HttpStatusCode.BadRequest, "badRequest", "Invalid uuid not-a-uuid");
        await Refused(admin, HttpMethod.Put, $"/v2.1/os-services/{Guid.NewGuid()}", new { status = "disabled" }, HttpStatusCode.NotFound, "itemNotFound", "could not be found");
        await Refused(admin, HttpMethod.Put, $"/v2.1/os-services/{uuid}", new { }, HttpStatusCode.BadRequest, "badRequest", "No updates were requested");
        await Refused(admin, HttpMethod.Put, $"/v2.1/os-services/{uuid}", new { status = "off" }, HttpStatusCode.BadRequest, "badRequest", "is not one of ['enabled', 'disabled']");
        await Refused(admin, HttpMethod.Put, $"/v2.1/os-services/{uuid}", new { status = "enabled", disabled_reason = "x" }, HttpStatusCode.BadRequest, "badRequest", "Specifying 'disabled_reason' with status 'enabled' is invalid.");
        await Refused(admin, HttpMethod.Put, $"/v2.1/os-services/{uuid}", new { status = "disabled", disabled_reason = new string('r', 256) }, HttpStatusCode.BadRequest, "badRequest", "is too long");
        await Refused(admin, HttpMethod.Put, $"/v2.1/os-services/{uuid}", new { status = "disabled", colour = "red" }, HttpStatusCode.BadRequest, "badRequest", "'colour' was unexpected");
        await Refused(admin, HttpMethod.Put, $"/v2.1/os-services/{uuid}", new { forced_down = "maybe" }, HttpStatusCode.BadRequest, "badRequest", "'maybe' is not one of [True, 'True'");
        await Refused(admin, HttpMethod.Put, $"/v2.1/os-services/{scheduler}", new { status = "disabled" }, HttpStatusCode.BadRequest, "badRequest", "Updating a nova-scheduler service is not supported");

        var legacy = stack.Client("admin:admin");
        await Refused(legacy, HttpMethod.Put, "/v2.1/os-services/disable", new { host = "no-such-host", binary = "nova-compute" }, HttpStatusCode.NotFound, "itemNotFound", "Compute host no-such-host could not be found.");
        await Refused(legacy, HttpMethod.Put, "/v2.1/os-services/disable", new { host = "fake-1" }, HttpStatusCode.BadRequest, "badRequest", "'binary' is a required property");
        await Refused(legacy, HttpMethod.Put, "/v2.1/os-services/disable", new { host = "fake-1", binary = "nova-conductor" }, HttpStatusCode.BadRequest, "badRequest", "Only nova-compute services can be updated.");
        await Refused(legacy, HttpMethod.Put, "/v2.1/os-services/disable-log-reason", new { host = "fake-1", binary = "nova-compute" }, HttpStatusCode.BadRequest, "badRequest", "Missing disabled reason field");
        await Refused(legacy, HttpMethod.Put, "/v2.1/os-services/shutdown", new { host = "fake-1", binary = "nova-compute" }, HttpStatusCode.NotFound, "itemNotFound", "Unknown action");
        // force-down exists from 2.11 only
        await Refused(legacy, HttpMethod.Put, "/v2.1/os-services/force-down", new { host = "fake-1", binary = "nova-compute" }, HttpStatusCode.NotFound, "itemNotFound", "Unknown action");
        await Refused(legacy, HttpMethod.Put, "/v2.1/os-services/force-down", new { host = "fake-1", binary = "nova-compute", forced_down = true }, HttpStatusCode.BadRequest, "badRequest", "'forced_down' was unexpected");
        await Refused(legacy, HttpMethod.Delete, "/v2.1/os-services/abc", null, HttpStatusCode.BadRequest, "badRequest", "id must be an integer");
        await Refused(legacy, HttpMethod.Delete, "/v2.1/os-services/12345", null, HttpStatusCode.NotFound, "itemNotFound", "Service 12345 could not be found.");
        await Refused(legacy, HttpMethod.Delete, $"/v2.1/os-services/{(await legacy.Services("?binary=nova-conductor"))[0]!["id"]}", null,
            HttpStatusCode.Conflict, "conflictingRequest", "cannot be deleted");

        var after = await admin.ComputeService("fake-1");
        Assert.Equal("enabled", after.Text("status"));
        Assert.False(after["forced_down"]!.GetValue<bool>());
        var host = await stack.ComputeHost("fake-1");
        Assert.True(host.Enabled);
        Assert.False(host.Deleted);
    }
}
