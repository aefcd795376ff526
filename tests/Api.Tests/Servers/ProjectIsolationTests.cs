using System.Net;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Servers;

[Collection(StackCollection.Name)]
public sealed class ProjectIsolationTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task Another_projects_server_does_not_exist_for_a_non_admin_and_admins_see_all_tenants()
    {
        var owner = stack.Client("erin:red");
        var stranger = stack.Client("frank:blue");
        var id = await owner.CreateServer("private");
        await owner.WaitForStatus(id, "ACTIVE");
        var before = await stack.EventCount();

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Get($"/v2.1/servers/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Get($"/v2.1/servers/{id}/os-instance-actions")).Status);
        Assert.Equal(HttpStatusCode.NotFound, await stranger.Act(id, new Dictionary<string, object?> { ["os-stop"] = null }));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        var (_, list) = await stranger.Get("/v2.1/servers/detail");
        Assert.DoesNotContain(list!["servers"]!.AsArray(), s => s!["id"]!.GetValue<string>() == id);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.Get("/v2.1/servers?all_tenants=1")).Status);
        Assert.Equal(before, await stack.EventCount());

        var admin = stack.Client("admin:admin");
        var (_, all) = await admin.Get("/v2.1/servers/detail?all_tenants=1");
        var seen = all!["servers"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("fake-1", seen["OS-EXT-SRV-ATTR:host"]!.GetValue<string>());
        Assert.Null((await owner.Server(id))["OS-EXT-SRV-ATTR:host"]);
    }
}
