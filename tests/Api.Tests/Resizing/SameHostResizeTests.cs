using System.Net;
using Nova.Api.Tests.Hosts;
using Nova.Api.Tests.Infrastructure;
using Nova.Domain.Flavors;

namespace Nova.Api.Tests.Resizing;

/// <summary>
/// One host with allow_resize_to_same_host: the claim grows by the new flavor while both guests exist, and shrinks to
/// the flavor kept on confirm or revert. resize_confirm_window confirms a forgotten resize by itself.
/// </summary>
public sealed class SameHostResizeTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(Settings: new Dictionary<string, string?>
    {
        ["Nova:Scheduler:AllowResizeToSameHost"] = "true",
        ["Nova:ResizeConfirmWindow"] = "5",
    }));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    private static readonly FlavorSpec Tiny = DefaultFlavors.All.Single(f => f.Id == "1");
    private static readonly FlavorSpec Small = DefaultFlavors.All.Single(f => f.Id == "2");

    private async Task<Domain.Hosts.HostResources?> Claim(string id) =>
        (await stack.ComputeHost("fake-1")).Claims.TryGetValue(Guid.Parse(id), out var held) ? held : null;

    [Fact]
    public async Task On_one_host_the_claim_holds_both_flavors_until_a_revert_shrinks_it_back_to_the_old_one()
    {
        var client = stack.Client("gus:same-host");
        var id = await client.ActiveServer("in-place", flavor: "1");

        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, new { resize = new { flavorRef = "2" } }));
        await client.WaitForStatus(id, "VERIFY_RESIZE", seconds: 30);
        Assert.Equal("fake-1", await stack.Client("admin:admin").HostOf(id));
        Assert.Equal(Tiny.Resources.Add(Small.Resources), await Claim(id));

        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, new { revertResize = (object?)null }));
        var reverted = await client.WaitForStatus(id, "ACTIVE", seconds: 30);
        Assert.Equal("1", reverted["flavor"]!["id"]!.GetValue<string>());
        Assert.Equal(Tiny.Resources, await Claim(id));
    }

    [Fact]
    public async Task A_resize_left_in_verify_resize_is_confirmed_after_the_window_and_the_claim_shrinks_to_the_new_flavor()
    {
        var client = stack.Client("hal:same-host");
        var id = await client.ActiveServer("forgotten", flavor: "1");

        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, new { resize = new { flavorRef = "2" } }));
        await client.WaitForStatus(id, "VERIFY_RESIZE", seconds: 30);
        var confirmed = await client.WaitForStatus(id, "ACTIVE", seconds: 30);
        Assert.Equal("2", confirmed["flavor"]!["id"]!.GetValue<string>());
        Assert.Equal(Small.Resources, await Claim(id));
    }
}
