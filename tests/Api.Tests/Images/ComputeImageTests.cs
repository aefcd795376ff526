using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Images;

/// <summary>The compute API's image proxy in Nova's compute image view (Tempest's images schemas), its filters and metadata.</summary>
[Collection(StackCollection.Name)]
public sealed class ComputeImageTests(ControlPlaneStack stack) : IDisposable
{
    private readonly TestImages files = new();

    public void Dispose() => files.Dispose();

    private static readonly string[] DetailKeys =
        ["OS-EXT-IMG-SIZE:size", "created", "id", "links", "metadata", "minDisk", "minRam", "name", "progress", "status", "updated"];

    private async Task<string> ActiveImage(HttpClient client, string name, object? extra = null)
    {
        var id = (await client.RegisterImage(new { name, disk_format = "qcow2", container_format = "bare", min_ram = 64 }))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await client.UploadImage(id, await files.Qcow2(name + ".qcow2"))).StatusCode);
        return id;
    }

    [Fact]
    public async Task Images_have_novas_keys_only_in_list_detail_and_show()
    {
        var client = stack.Client("cora:compute-images");
        var id = await ActiveImage(client, "view1");

        var (_, shown) = await client.Get($"/v2.1/images/{id}");
        var image = shown!["image"]!.AsObject();
        Assert.Equal(DetailKeys, image.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("ACTIVE", image["status"]!.GetValue<string>());
        Assert.Equal(100, image["progress"]!.GetValue<int>());
        Assert.Equal(64, image["minRam"]!.GetValue<int>());
        Assert.Equal(["self", "bookmark", "alternate"], image["links"]!.AsArray().Select(l => l!["rel"]!.GetValue<string>()));

        var (_, list) = await client.Get("/v2.1/images?name=view1");
        var basic = Assert.Single(list!["images"]!.AsArray())!.AsObject();
        Assert.Equal(["id", "links", "name"], basic.Select(p => p.Key).Order(StringComparer.Ordinal));

        var (_, detail) = await client.Get("/v2.1/images/detail?name=view1");
        Assert.Equal(DetailKeys, Assert.Single(detail!["images"]!.AsArray())!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));

        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"/v2.1/images/{Guid.NewGuid()}")).Status);
        // Nova removed the proxy at 2.36.
        Assert.Equal(HttpStatusCode.NotFound, (await stack.Client("cora:compute-images", "2.36").Get($"/v2.1/images/{id}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await stack.Client("cora:compute-images", "2.35").Get($"/v2.1/images/{id}")).Status);
    }

    [Fact]
    public async Task Filters_and_pages_select_as_nova_asks_glance()
    {
        var client = stack.Client("cora:image-filters");
        var small = await ActiveImage(client, "filter-small");
        var big = (await client.RegisterImage(new { name = "filter-big", disk_format = "qcow2", container_format = "bare", min_ram = 4096, min_disk = 20 }))["id"]!.GetValue<string>();

        async Task<string[]> Ids(string query) =>
            (await client.Get($"/v2.1/images/detail?{query}")).Body!["images"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToArray();

        Assert.Contains(small, await Ids("status=ACTIVE"));
        Assert.DoesNotContain(big, await Ids("status=ACTIVE"));
        // Nova hands the status to Glance lowercased: Glance's own word selects (an image waiting for data is queued).
        Assert.Contains(big, await Ids("status=QUEUED"));
        Assert.Equal([big], await Ids("minRam=1024&name=filter-big"));
        Assert.Empty(await Ids("minDisk=21&name=filter-big"));
        Assert.Empty(await Ids($"changes-since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}&name=filter-small"));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Get("/v2.1/images/detail?changes-since=yesterday")).Status);

        var (_, page) = await client.Get("/v2.1/images?limit=1");
        Assert.Single(page!["images"]!.AsArray());
        var next = page["images_links"]![0]!["href"]!.GetValue<string>();
        Assert.Contains("marker=", next);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Get($"/v2.1/images?marker={Guid.NewGuid()}")).Status);
    }

    [Fact]
    public async Task Image_metadata_is_listed_merged_replaced_set_and_deleted_as_in_nova()
    {
        var client = stack.Client("cora:image-meta");
        var id = await ActiveImage(client, "meta1");
        var path = $"/v2.1/images/{id}/metadata";

        var (status, merged) = await client.Send(HttpMethod.Post, path, new { metadata = new { os_version = "value1", os_distro = "value2" } });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("value2", merged!["metadata"]!["os_distro"]!.GetValue<string>());
        Assert.Equal(2, (await client.Get(path)).Body!["metadata"]!.AsObject().Count);

        var (_, replaced) = await client.Send(HttpMethod.Put, path, new { metadata = new { architecture = "x86_64" } });
        Assert.Equal("{\"metadata\":{\"architecture\":\"x86_64\"}}", replaced!.ToJsonString());
        Assert.Equal("x86_64", (await client.Get($"/v2.1/images/{id}")).Body!["image"]!["metadata"]!["architecture"]!.GetValue<string>());

        var (_, item) = await client.Send(HttpMethod.Put, $"{path}/os_version", new { meta = new { os_version = "alpha" } });
        Assert.Equal("alpha", item!["meta"]!["os_version"]!.GetValue<string>());
        Assert.Equal("alpha", (await client.Get($"{path}/os_version")).Body!["meta"]!["os_version"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Send(HttpMethod.Put, $"{path}/os_version", new { meta = new { other = "x" } })).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"{path}/os_version")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"{path}/os_version")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Send(HttpMethod.Delete, $"{path}/os_version")).Status);
        // Another project neither sees nor changes it; the metadata routes end at 2.39.
        Assert.Equal(HttpStatusCode.NotFound, (await stack.Client("eve:elsewhere").Send(HttpMethod.Post, path, new { metadata = new { x = "1" } })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.Client("cora:image-meta", "2.39").Get(path)).Status);
    }

    [Fact]
    public async Task A_snapshot_names_its_server_and_the_compute_delete_removes_an_image()
    {
        var client = stack.Client("cora:image-delete");
        var id = await ActiveImage(client, "doomed");
        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"/v2.1/images/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"/v2.1/images/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Send(HttpMethod.Delete, $"/v2.1/images/{id}")).Status);

        var server = await client.CreateServer("snapped");
        await client.WaitForStatus(server, "ACTIVE");
        var (accepted, _) = await client.Send(HttpMethod.Post, $"/v2.1/servers/{server}/action", new { createImage = new { name = "snap1" } });
        Assert.Equal(HttpStatusCode.Accepted, accepted);
        var snapshot = await Eventually.Value(
            async () => (await client.Get("/v2.1/images/detail?name=snap1")).Body!["images"]!.AsArray().FirstOrDefault(),
            i => i is not null, TimeSpan.FromSeconds(20), "snapshot listed");
        Assert.Equal(server, snapshot!["server"]!["id"]!.GetValue<string>());
        Assert.Equal([snapshot["id"]!.GetValue<string>()],
            (await client.Get($"/v2.1/images?server={server}&type=snapshot")).Body!["images"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
    }
}
