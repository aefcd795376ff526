using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Flavors;

/// <summary>GET /flavors: Nova's minRam/minDisk, sort_key/sort_dir and marker rules.</summary>
[Collection(StackCollection.Name)]
public sealed class FlavorListTests(ControlPlaneStack stack)
{
    private static async Task<List<JsonNode>> Detail(HttpClient client, string query) =>
        (await client.Get("/v2.1/flavors/detail" + query)).Body!["flavors"]!.AsArray().Select(f => f!).ToList();

    [Theory]
    [InlineData("?minRam=lots", "Invalid minRam filter [lots]")]
    [InlineData("?minDisk=1.5", "Invalid minDisk filter [1.5]")]
    [InlineData("?minRam=", "Invalid minRam filter []")]
    [InlineData("?sort_dir=sideways", null)]
    [InlineData("?sort_key=colour", null)]
    [InlineData("?marker=no-such-flavor", "marker [no-such-flavor] not found")]
    public async Task A_filter_nova_cannot_read_is_400(string query, string? message)
    {
        var (status, body) = await stack.Client("pia:flavors").Get("/v2.1/flavors" + query);

        Assert.True(status == HttpStatusCode.BadRequest, $"{status} {body?.ToJsonString()}");
        if (message is not null) Assert.Equal(message, body!["badRequest"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Flavors_sort_by_any_of_nova_s_keys_either_way_and_page_from_the_marker()
    {
        var member = stack.Client("pia:flavors");

        var byRamDown = await Detail(member, "?sort_key=memory_mb&sort_dir=desc&minRam=2048");
        var rams = byRamDown.Select(f => f["ram"]!.GetValue<int>()).ToList();
        Assert.Equal(rams.OrderDescending().ToList(), rams);
        Assert.All(rams, r => Assert.True(r >= 2048));
        Assert.Contains(16384, rams);

        var byName = (await Detail(member, "?sort_key=name")).Select(f => f["name"]!.GetValue<string>()).ToList();
        Assert.Equal(byName.Order(StringComparer.Ordinal).ToList(), byName);

        // The page after m1.medium (4096 MB), largest first: only the smaller ones.
        var after = await Detail(member, "?sort_key=memory_mb&sort_dir=desc&marker=3");
        Assert.DoesNotContain(after, f => f["id"]!.GetValue<string>() is "3" or "4" or "5");
        Assert.Contains(after, f => f["id"]!.GetValue<string>() == "2");
        Assert.All(after, f => Assert.True(f["ram"]!.GetValue<int>() <= 4096));

        var one = await Detail(member, "?limit=1&minDisk=100");
        Assert.Equal("5", Assert.Single(one)["id"]!.GetValue<string>());
    }
}
