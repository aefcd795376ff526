using System.Net;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Servers;

/// <summary>The README walk-through, over HTTP as the openstack CLI drives it.</summary>
[Collection(StackCollection.Name)]
public sealed class LifecycleWalkthroughTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task Flavor_create_then_server_create_list_stop_start_reboot_events_and_delete()
    {
        var admin = stack.Client("admin:admin", "2.37");
        var (flavorStatus, flavor) = await admin.Send(HttpMethod.Post, "/v2.1/flavors",
            new { flavor = new { name = "walk.small", ram = 256, vcpus = 1, disk = 1, id = "auto" } });
        Assert.Equal(HttpStatusCode.OK, flavorStatus);
        var flavorId = flavor!["flavor"]!["id"]!.GetValue<string>();

        var user = stack.Client("demo:walk", "2.37");
        var id = await user.CreateServer("demo", flavorId);
        await user.WaitForStatus(id, "ACTIVE");
        var (_, list) = await user.Get("/v2.1/servers/detail");
        Assert.Contains(list!["servers"]!.AsArray(), s => s!["id"]!.GetValue<string>() == id && s["status"]!.GetValue<string>() == "ACTIVE");

        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, new Dictionary<string, object?> { ["os-stop"] = null }));
        var stopped = await user.WaitForStatus(id, "SHUTOFF");
        Assert.Equal(4, stopped["OS-EXT-STS:power_state"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, new Dictionary<string, object?> { ["os-start"] = null }));
        await user.WaitForStatus(id, "ACTIVE");

        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, new { reboot = new { type = "SOFT" } }));
        await user.WaitForStatus(id, "ACTIVE");
        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, new { reboot = new { type = "HARD" } }));
        await user.WaitForStatus(id, "ACTIVE");

        // `openstack server event list`: newest first, every action finished successfully.
        var actions = await Eventually.Value(async () => (await user.Get($"/v2.1/servers/{id}/os-instance-actions")).Body!["instanceActions"]!.AsArray(),
            a => a.Count == 5, TimeSpan.FromSeconds(10), "five actions");
        Assert.Equal(["reboot", "reboot", "start", "stop", "create"], actions.Select(a => a!["action"]!.GetValue<string>()).ToArray());
        Assert.All(actions, a => Assert.Null(a!["message"]));

        Assert.Equal(HttpStatusCode.NoContent, (await user.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await user.WaitUntilGone(id);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.Send(HttpMethod.Delete, $"/v2.1/flavors/{flavorId}")).Status);
    }

    [Fact]
    public async Task A_locked_server_refuses_its_owner_until_unlocked_but_not_an_admin()
    {
        var owner = stack.Client("bob:locks");
        var admin = stack.Client("admin:admin");
        var id = await owner.CreateServer("locked");
        await owner.WaitForStatus(id, "ACTIVE");

        Assert.Equal(HttpStatusCode.Accepted, await owner.Act(id, new Dictionary<string, object?> { ["lock"] = null }));
        var (status, body) = await owner.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action", new Dictionary<string, object?> { ["os-stop"] = null });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal($"Instance {id} is locked", body!["conflictingRequest"]!["message"]!.GetValue<string>());
        Assert.True((await stack.Client("bob:locks", "2.9").Server(id))["locked"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new Dictionary<string, object?> { ["os-stop"] = null }));
        await owner.WaitForStatus(id, "SHUTOFF");
        Assert.Equal(HttpStatusCode.Accepted, await owner.Act(id, new Dictionary<string, object?> { ["unlock"] = null }));
        Assert.Equal(HttpStatusCode.Accepted, await owner.Act(id, new Dictionary<string, object?> { ["os-start"] = null }));
        await owner.WaitForStatus(id, "ACTIVE");
    }
}
