using System.Net;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Servers;

[Collection(StackCollection.Name)]
public sealed class NoValidHostTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task A_flavor_no_host_can_hold_ends_in_error_with_no_valid_host_and_a_recorded_create_action()
    {
        var admin = stack.Client("admin:admin");
        var (created, _) = await admin.Send(HttpMethod.Post, "/v2.1/flavors",
            new { flavor = new { name = "huge", ram = 10_000_000, vcpus = 4096, disk = 1, id = "huge" } });
        Assert.Equal(HttpStatusCode.OK, created);

        var client = stack.Client("dave:novalid");
        var id = await client.CreateServer("too-big", "huge");
        var server = await client.WaitForStatus(id, "ERROR");
        Assert.Equal("error", server["OS-EXT-STS:vm_state"]!.GetValue<string>());
        Assert.Equal("No valid host was found.", server["fault"]!["message"]!.GetValue<string>());
        Assert.Equal(500, server["fault"]!["code"]!.GetValue<int>());

        var action = await Eventually.Value(async () => (await client.Get($"/v2.1/servers/{id}/os-instance-actions")).Body!["instanceActions"]!.AsArray(),
            a => a.Count == 1 && a[0]!["message"] is not null, TimeSpan.FromSeconds(10), "failed create action");
        Assert.Equal("create", action[0]!["action"]!.GetValue<string>());
        Assert.Equal("Error", action[0]!["message"]!.GetValue<string>());

        // Nothing was claimed anywhere, and the failed server can still be deleted at once.
        Assert.False((await stack.ComputeHost("fake-1")).Claims.ContainsKey(Guid.Parse(id)));
        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await client.WaitUntilGone(id);
    }
}
