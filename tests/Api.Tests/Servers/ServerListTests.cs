using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Servers;

/// <summary>GET /servers and /servers/detail as clients page and filter them: Nova's order, markers, filters, changes-since.</summary>
[Collection(StackCollection.Name)]
public sealed class ServerListTests(ControlPlaneStack stack)
{
    private async Task<(HttpClient Client, List<string> Ids)> Project(int count)
    {
        var client = stack.Client("lisa:listing-" + Guid.NewGuid().ToString("N")[..8]);
        var ids = new List<string>();
        // One at a time: their creation times, which order the list, are then distinct.
        for (var i = 0; i < count; i++) ids.Add(await client.CreateServer($"list-{i}", flavor: i % 2 == 0 ? "1" : "2"));
        foreach (var id in ids) await client.WaitForStatus(id, "ACTIVE");
        return (client, ids);
    }

    private static List<string> Ids(JsonNode body, string key = "servers") =>
        body[key]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Pages_walk_every_server_once_newest_first_or_oldest_first_with_sort_dir_asc()
    {
        var (client, ids) = await Project(7);
        var newestFirst = Enumerable.Reverse(ids).ToList();

        var seen = new List<string>();
        var path = "/v2.1/servers?limit=3";
        for (var page = 0; path is not null && page < 10; page++)
        {
            var (status, body) = await client.Get(path);
            Assert.Equal(HttpStatusCode.OK, status);
            var batch = Ids(body!);
            Assert.InRange(batch.Count, 1, 3);
            seen.AddRange(batch);
            path = body!["servers_links"]?.AsArray().Single(l => l!["rel"]!.GetValue<string>() == "next")!["href"]!.GetValue<string>() is { } next
                ? new Uri(next).PathAndQuery : null;
        }
        Assert.Equal(newestFirst, seen);

        var (_, ascending) = await client.Get($"/v2.1/servers/detail?sort_dir=asc&limit=4&marker={ids[1]}");
        Assert.Equal(ids.Skip(2).Take(4), Ids(ascending!));
        var (_, descending) = await client.Get($"/v2.1/servers/detail?limit=2&marker={ids[5]}");
        Assert.Equal([ids[4], ids[3]], Ids(descending!));

        var (unknown, error) = await client.Get($"/v2.1/servers?marker={Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.Contains("marker", error!["badRequest"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Filters_by_status_flavor_image_and_name_pattern_combine()
    {
        var (client, ids) = await Project(6);
        var stop = new Dictionary<string, object?> { ["os-stop"] = null };
        Assert.Equal(HttpStatusCode.Accepted, await client.Act(ids[0], stop));
        Assert.Equal(HttpStatusCode.Accepted, await client.Act(ids[3], stop));
        await client.WaitForStatus(ids[0], "SHUTOFF");
        await client.WaitForStatus(ids[3], "SHUTOFF");

        async Task<List<string>> List(string query) => Ids((await client.Get("/v2.1/servers/detail?" + query)).Body!).Order().ToList();

        Assert.Equal(new[] { ids[0], ids[3] }.Order(), await List("status=SHUTOFF"));
        Assert.Equal(new[] { ids[0], ids[3] }.Order(), await List("status=shutoff"));
        Assert.Equal(new[] { ids[1], ids[3], ids[5] }.Order(), await List("flavor=2"));
        Assert.Equal(new[] { ids[3] }, await List("flavor=2&status=SHUTOFF"));
        Assert.Equal(ids.Order(), await List($"image={ControlPlaneStack.DefaultImage}"));
        Assert.Empty(await List($"image={Guid.NewGuid()}"));
        Assert.Equal(new[] { ids[1], ids[2] }.Order(), await List("name=list-[12]$"));
        Assert.Equal(new[] { ids[2] }, await List("name=LIST-2&flavor=1"));
        Assert.Equal(new[] { ids[5], ids[4] }, Ids((await client.Get("/v2.1/servers?status=ACTIVE&limit=2")).Body!));
    }

    [Fact]
    public async Task A_deleted_server_leaves_the_list_but_changes_since_shows_it_as_deleted()
    {
        var (client, ids) = await Project(3);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("yyyy-MM-ddTHH:mm:ssZ");
        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"/v2.1/servers/{ids[1]}")).Status);
        await client.WaitUntilGone(ids[1]);

        var (_, listed) = await client.Get("/v2.1/servers");
        Assert.Equal([ids[2], ids[0]], Ids(listed!));
        var (_, changed) = await client.Get($"/v2.1/servers/detail?changes-since={before}");
        var deleted = changed!["servers"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == ids[1])!;
        Assert.Equal("DELETED", deleted["status"]!.GetValue<string>());
    }
}
