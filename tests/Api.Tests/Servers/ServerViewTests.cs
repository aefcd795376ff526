using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Hosts;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Servers;

/// <summary>
/// The server body per microversion and caller, as Nova's view builder makes it: 2.3's extended attributes for
/// admins, 2.16's host_status true to the host's service, 2.63 and 2.71's fields, and the smaller PUT body before 2.75.
/// </summary>
public sealed class ServerViewTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(Hosts: 2));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task Host_status_follows_the_hosts_service_and_is_shown_to_admins_only()
    {
        var member = stack.Client("ivy:views", "2.16");
        var admin = stack.Client("admin:admin", "2.53");
        var id = await member.ActiveServer("watched");
        var host = await admin.HostOf(id);

        async Task<string?> Status() => (await stack.Client("admin:admin", "2.16").Server(id))["host_status"]?.GetValue<string>();
        Assert.Equal("UP", await Status());
        Assert.False((await member.Server(id)).AsObject().ContainsKey("host_status"));
        Assert.False((await stack.Client("admin:admin", "2.15").Server(id)).AsObject().ContainsKey("host_status"));

        await admin.UpdateService(host, new { status = "disabled", disabled_reason = "maintenance window" });
        Assert.Equal("MAINTENANCE", await Status());
        await admin.UpdateService(host, new { forced_down = true });
        Assert.Equal("DOWN", await Status());
        var (_, list) = await stack.Client("admin:admin", "2.16").Get("/v2.1/servers/detail?all_tenants=1");
        Assert.Equal("DOWN", list!["servers"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == id)!["host_status"]!.GetValue<string>());
        await admin.UpdateService(host, new { forced_down = false, status = "enabled" });
        Assert.Equal("UP", await Status());
    }

    [Fact]
    public async Task From_2_3_admins_see_the_guests_hostname_reservation_launch_index_and_user_data()
    {
        var member = stack.Client("jon:views", "2.3");
        var userData = Convert.ToBase64String("#cloud-config\n"u8.ToArray());
        var (status, created) = await member.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name = "Web_Server.01 é", flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, networks = "none", user_data = userData },
        });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = created!["server"]!["id"]!.GetValue<string>();
        await member.WaitForStatus(id, "ACTIVE");

        var shown = await stack.Client("admin:admin", "2.3").Server(id);
        Assert.Equal("web-server-01-é", shown["OS-EXT-SRV-ATTR:hostname"]!.GetValue<string>());
        Assert.StartsWith("r-", shown["OS-EXT-SRV-ATTR:reservation_id"]!.GetValue<string>());
        Assert.Equal(0, shown["OS-EXT-SRV-ATTR:launch_index"]!.GetValue<int>());
        Assert.Equal(userData, shown["OS-EXT-SRV-ATTR:user_data"]!.GetValue<string>());
        Assert.Equal("/dev/vda", shown["OS-EXT-SRV-ATTR:root_device_name"]!.GetValue<string>());
        Assert.Equal("", shown["OS-EXT-SRV-ATTR:kernel_id"]!.GetValue<string>());

        // Before 2.3 only host, hypervisor and instance name; a member sees none of them.
        var old = (await stack.Client("admin:admin").Server(id)).AsObject();
        Assert.Equal(3, old.Count(p => p.Key.StartsWith("OS-EXT-SRV-ATTR:")));
        Assert.DoesNotContain((await member.Server(id)).AsObject(), p => p.Key.StartsWith("OS-EXT-SRV-ATTR:"));

        // user_data must be base64; nothing is created otherwise.
        var (refused, _) = await member.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name = "bad-data", flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, networks = "none", user_data = "not base64!" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused);
    }

    [Fact]
    public async Task Trusted_certificates_and_server_groups_appear_at_their_versions_server_groups_not_in_the_list()
    {
        var member = stack.Client("kim:views", "2.71");
        var id = await member.ActiveServer("grouped");

        var shown = (await member.Server(id)).AsObject();
        Assert.True(shown.ContainsKey("trusted_image_certificates"));
        Assert.Null(shown["trusted_image_certificates"]);
        Assert.Empty(shown["server_groups"]!.AsArray());
        var (_, list) = await member.Get("/v2.1/servers/detail");
        var listed = list!["servers"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == id)!.AsObject();
        Assert.True(listed.ContainsKey("trusted_image_certificates"));
        Assert.False(listed.ContainsKey("server_groups"));
        Assert.False((await stack.Client("kim:views", "2.62").Server(id)).AsObject().ContainsKey("trusted_image_certificates"));
    }

    [Fact]
    public async Task Before_2_75_the_update_response_leaves_out_the_v2_0_extension_fields()
    {
        var member = stack.Client("lee:views");
        var id = await member.ActiveServer("renamed");

        var (status, body) = await member.Send(HttpMethod.Put, $"/v2.1/servers/{id}", new { server = new { name = "renamed-again" } });
        Assert.Equal(HttpStatusCode.OK, status);
        var updated = body!["server"]!.AsObject();
        Assert.Equal("renamed-again", updated["name"]!.GetValue<string>());
        foreach (var key in new[] { "key_name", "config_drive", "OS-EXT-STS:vm_state", "OS-EXT-AZ:availability_zone", "OS-SRV-USG:launched_at", "os-extended-volumes:volumes_attached" })
            Assert.False(updated.ContainsKey(key), key);
        Assert.True((await member.Server(id)).AsObject().ContainsKey("OS-EXT-STS:vm_state"));
    }
}
