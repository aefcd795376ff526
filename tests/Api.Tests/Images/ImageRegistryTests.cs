using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Images;

[Collection(StackCollection.Name)]
public sealed class ImageRegistryTests(ControlPlaneStack stack) : IDisposable
{
    private readonly TestImages files = new();

    public void Dispose() => files.Dispose();

    private string[] StoreFiles() =>
        Directory.Exists(stack.ImageStorePath) ? Directory.GetFiles(stack.ImageStorePath).Select(f => Path.GetFileName(f)).ToArray() : [];

    [Fact]
    public async Task A_qcow2_upload_becomes_active_with_its_sizes_and_hashes_and_downloads_back_whole_or_from_an_offset()
    {
        var client = stack.Client("ann:images1");
        var qcow2 = await files.Qcow2();
        var image = await client.RegisterImage(new { name = "q1", disk_format = "qcow2", container_format = "bare" });
        var id = image["id"]!.GetValue<string>();
        Assert.Equal("queued", image["status"]!.GetValue<string>());
        Assert.Null(image["size"]);
        Assert.Null(image["os_hash_value"]);
        Assert.Equal("sha256", image["os_hash_algo"]!.GetValue<string>());
        Assert.Equal("private", image["visibility"]!.GetValue<string>());
        Assert.Equal("images1", image["owner"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await client.GetAsync($"/image/v2/images/{id}/file")).StatusCode);

        var upload = await client.UploadImage(id, qcow2);
        Assert.Equal(HttpStatusCode.NoContent, upload.StatusCode);

        var bytes = await File.ReadAllBytesAsync(qcow2);
        var (status, shown) = await client.Get($"/image/v2/images/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("active", shown!["status"]!.GetValue<string>());
        Assert.Equal(bytes.Length, shown["size"]!.GetValue<long>());
        Assert.Equal(10L << 20, shown["virtual_size"]!.GetValue<long>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), shown["os_hash_value"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(bytes)), shown["checksum"]!.GetValue<string>());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(stack.ImageStorePath, id)));

        using var whole = await client.GetAsync($"/image/v2/images/{id}/file");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("application/octet-stream", whole.Content.Headers.ContentType!.MediaType);
        Assert.Equal("bytes", string.Join(",", whole.Headers.AcceptRanges));
        Assert.Equal(shown["checksum"]!.GetValue<string>(), whole.Content.Headers.GetValues("Content-MD5").Single());
        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());

        var offset = bytes.Length - 1000;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/image/v2/images/{id}/file");
        request.Headers.Range = new RangeHeaderValue(offset, null);
        using var tail = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal($"bytes {offset}-{bytes.Length - 1}/{bytes.Length}", tail.Content.Headers.ContentRange!.ToString());
        Assert.Equal(bytes[offset..], await tail.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_raw_upload_becomes_active_with_its_size_as_virtual_size()
    {
        var client = stack.Client("ann:images2");
        var raw = await files.Raw();
        var id = (await client.RegisterImage(new { name = "r1", disk_format = "raw", container_format = "bare", min_disk = 1 }))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await client.UploadImage(id, raw)).StatusCode);
        var (_, shown) = await client.Get($"/image/v2/images/{id}");
        Assert.Equal("active", shown!["status"]!.GetValue<string>());
        Assert.Equal(2L << 20, shown["size"]!.GetValue<long>());
        Assert.Equal(2L << 20, shown["virtual_size"]!.GetValue<long>());
        Assert.Equal(1, shown["min_disk"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_image_bigger_than_the_default_request_body_limit_streams_into_the_store()
    {
        var client = stack.Client("ann:images12");
        var raw = files.Path("big.raw");
        await TestImages.Run("qemu-img", "create", "-q", "-f", "raw", raw, "64M");
        var id = (await client.RegisterImage(new { name = "big12", disk_format = "raw", container_format = "bare" }))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await client.UploadImage(id, raw)).StatusCode);
        Assert.Equal(64L << 20, new FileInfo(Path.Combine(stack.ImageStorePath, id)).Length);
        Assert.Equal(64L << 20, (await client.Get($"/image/v2/images/{id}")).Body!["size"]!.GetValue<long>());
    }

    [Fact]
    public async Task Garbage_declared_qcow2_is_refused_leaves_nothing_in_the_store_and_the_image_can_be_uploaded_again()
    {
        var client = stack.Client("ann:images3");
        var garbage = await files.Raw("garbage.bin", 1);
        var id = (await client.RegisterImage(new { name = "g1", disk_format = "qcow2", container_format = "bare" }))["id"]!.GetValue<string>();

        var refused = await client.UploadImage(id, garbage);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("qemu-img detects format raw", await refused.Content.ReadAsStringAsync());
        Assert.DoesNotContain(StoreFiles(), f => f.Contains(id));
        var (_, shown) = await client.Get($"/image/v2/images/{id}");
        Assert.Equal("queued", shown!["status"]!.GetValue<string>());
        Assert.Null(shown["size"]);

        Assert.Equal(HttpStatusCode.NoContent, (await client.UploadImage(id, await files.Qcow2())).StatusCode);
        Assert.Equal("active", (await client.Get($"/image/v2/images/{id}")).Body!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_qcow2_declared_raw_is_refused()
    {
        var client = stack.Client("ann:images4");
        var id = (await client.RegisterImage(new { name = "m1", disk_format = "raw", container_format = "bare" }))["id"]!.GetValue<string>();
        var refused = await client.UploadImage(id, await files.Qcow2());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("qemu-img detects format qcow2", await refused.Content.ReadAsStringAsync());
        Assert.DoesNotContain(StoreFiles(), f => f.Contains(id));
    }

    [Fact]
    public async Task A_qcow2_with_a_backing_file_is_refused()
    {
        var client = stack.Client("ann:images5");
        var backing = await files.Raw("base.raw", 10);
        var overlay = await files.Qcow2("overlay.qcow2", backing);
        var id = (await client.RegisterImage(new { name = "b1", disk_format = "qcow2", container_format = "bare" }))["id"]!.GetValue<string>();
        var refused = await client.UploadImage(id, overlay);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("backing file", await refused.Content.ReadAsStringAsync());
        Assert.DoesNotContain(StoreFiles(), f => f.Contains(id));
        Assert.Equal("queued", (await client.Get($"/image/v2/images/{id}")).Body!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Data_that_does_not_match_a_declared_md5_or_sha256_is_refused()
    {
        var client = stack.Client("ann:images6");
        var qcow2 = await files.Qcow2();
        var bytes = await File.ReadAllBytesAsync(qcow2);
        var id = (await client.RegisterImage(new { name = "c1", disk_format = "qcow2", container_format = "bare" }))["id"]!.GetValue<string>();

        var wrongMd5 = await client.UploadImage(id, qcow2, r => r.Content!.Headers.ContentMD5 = MD5.HashData([1, 2, 3]));
        Assert.Equal(HttpStatusCode.BadRequest, wrongMd5.StatusCode);
        Assert.Contains("Checksum verification failed", await wrongMd5.Content.ReadAsStringAsync());
        Assert.DoesNotContain(StoreFiles(), f => f.Contains(id));

        var rightMd5 = await client.UploadImage(id, qcow2, r => r.Headers.Add("x-image-meta-checksum", Convert.ToHexStringLower(MD5.HashData(bytes))));
        Assert.Equal(HttpStatusCode.NoContent, rightMd5.StatusCode);

        var sha = (await client.RegisterImage(new
        {
            name = "c2", disk_format = "qcow2", container_format = "bare", os_hash_value = Convert.ToHexStringLower(SHA256.HashData([1, 2, 3])),
        }))["id"]!.GetValue<string>();
        var wrongSha = await client.UploadImage(sha, qcow2);
        Assert.Equal(HttpStatusCode.BadRequest, wrongSha.StatusCode);
        Assert.Contains("sha256", await wrongSha.Content.ReadAsStringAsync());
        Assert.DoesNotContain(StoreFiles(), f => f.Contains(sha));
    }

    [Fact]
    public async Task A_second_upload_to_an_active_image_is_a_conflict_and_keeps_the_first_data()
    {
        var client = stack.Client("ann:images7");
        var first = await files.Qcow2();
        var id = (await client.RegisterImage(new { name = "s1", disk_format = "qcow2", container_format = "bare" }))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await client.UploadImage(id, first)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.UploadImage(id, await files.Qcow2("other.qcow2"))).StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(Path.Combine(stack.ImageStorePath, id)));
        Assert.DoesNotContain(StoreFiles(), f => f.EndsWith(".part"));
    }

    [Fact]
    public async Task Delete_removes_the_data_and_the_record()
    {
        var client = stack.Client("ann:images8");
        var id = (await client.RegisterImage(new { name = "d1", disk_format = "qcow2", container_format = "bare" }))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await client.UploadImage(id, await files.Qcow2())).StatusCode);
        Assert.Contains(id, StoreFiles());

        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"/image/v2/images/{id}")).Status);
        Assert.DoesNotContain(id, StoreFiles());
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"/image/v2/images/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/image/v2/images/{id}/file")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"/v2.1/images/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Send(HttpMethod.Delete, $"/image/v2/images/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Send(HttpMethod.Delete, $"/image/v2/images/{Guid.NewGuid()}")).Status);
    }

    [Fact]
    public async Task Another_project_cannot_see_a_private_image_nor_change_a_public_one_it_does_not_own()
    {
        var owner = stack.Client("ann:images9");
        var stranger = stack.Client("bob:elsewhere9");
        var admin = stack.Client("admin:admin");
        var qcow2 = await files.Qcow2();
        var secret = (await owner.RegisterImage(new { name = "p1", disk_format = "qcow2", container_format = "bare" }))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await owner.UploadImage(secret, qcow2)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Get($"/image/v2/images/{secret}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/image/v2/images/{secret}/file")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Get($"/v2.1/images/{secret}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Send(HttpMethod.Delete, $"/image/v2/images/{secret}")).Status);
        var (_, list) = await stranger.Get("/image/v2/images?name=p1");
        Assert.Empty(list!["images"]!.AsArray());
        Assert.Single((await owner.Get("/image/v2/images?name=p1")).Body!["images"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await admin.Get($"/image/v2/images/{secret}")).Status);

        // Publicizing is an admin's act, as in Glance's default policy.
        Assert.Equal(HttpStatusCode.Forbidden,
            (await owner.Send(HttpMethod.Post, "/image/v2/images", new { name = "pub", disk_format = "qcow2", container_format = "bare", visibility = "public" })).Status);
        var shared = (await admin.RegisterImage(new { name = "pub9", disk_format = "qcow2", container_format = "bare", visibility = "public" }))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.UploadImage(shared, qcow2)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.UploadImage(shared, qcow2)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stranger.Get($"/image/v2/images/{shared}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.Send(HttpMethod.Delete, $"/image/v2/images/{shared}")).Status);
        Assert.Contains(shared, StoreFiles());
        Assert.Equal("active", (await stranger.Get($"/image/v2/images/{shared}")).Body!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_uploaded_image_is_listed_by_the_compute_proxy_and_boots_a_server()
    {
        var client = stack.Client("ann:images10");
        var id = (await client.RegisterImage(new { name = "boot10", disk_format = "qcow2", container_format = "bare" }))["id"]!.GetValue<string>();
        Assert.Equal("SAVING", (await client.Get($"/v2.1/images/{id}")).Body!["image"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await client.UploadImage(id, await files.Qcow2())).StatusCode);

        var (_, proxied) = await client.Get("/v2.1/images/detail?name=boot10");
        var listed = Assert.Single(proxied!["images"]!.AsArray())!;
        Assert.Equal(id, listed["id"]!.GetValue<string>());
        Assert.Equal("ACTIVE", listed["status"]!.GetValue<string>());
        Assert.Equal("ACTIVE", (await client.Get($"/v2.1/images/{id}")).Body!["image"]!["status"]!.GetValue<string>());

        var server = await client.CreateServer("from-upload", image: id);
        var active = await client.WaitForStatus(server, "ACTIVE");
        Assert.Equal(id, active["image"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Listing_pages_with_limit_and_marker_and_bad_create_input_is_a_400()
    {
        var client = stack.Client("ann:images11");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await client.RegisterImage(new { name = $"page11-{i}", disk_format = "raw", container_format = "bare" }))["id"]!.GetValue<string>());
        var (status, first) = await client.Get("/image/v2/images?limit=2&visibility=private");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("/v2/schemas/images", first!["schema"]!.GetValue<string>());
        Assert.Equal("/v2/images", first["first"]!.GetValue<string>());
        var page1 = first["images"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(2, page1.Count);
        var next = first["next"]!.GetValue<string>();
        var (_, second) = await client.Get("/image" + next);
        var page2 = second!["images"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.OrderBy(x => x), page1.Concat(page2).OrderBy(x => x));

        Assert.Equal(HttpStatusCode.BadRequest,
            (await client.Send(HttpMethod.Post, "/image/v2/images", new { name = "x", disk_format = "vmdk", container_format = "bare" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Send(HttpMethod.Post, "/image/v2/images", new { name = "x" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await client.Send(HttpMethod.Post, "/image/v2/images", new { name = "x", disk_format = "raw", status = "active" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient { BaseAddress = stack.BaseAddress }.GetAsync("/image/v2/images")).StatusCode);
        var all = (await client.Get("/image/v2/images")).Body!["images"]!.AsArray();
        Assert.All(ids, id => Assert.Contains(all, i => i!["id"]!.GetValue<string>() == id));
        Assert.All(all, i => Assert.True(i!["owner"]?.GetValue<string>() == "images11" || i["visibility"]!.GetValue<string>() == "public"));
    }

    [Fact]
    public async Task A_deleted_image_id_is_never_registered_again()
    {
        var client = stack.Client("admin:images-tomb");
        var id = Guid.NewGuid().ToString();
        await client.RegisterImage(new { id, name = "first", disk_format = "raw", container_format = "bare" });
        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"/image/v2/images/{id}")).Status);

        var (status, body) = await client.Send(HttpMethod.Post, "/image/v2/images",
            new { id, name = "second", disk_format = "raw", container_format = "bare" });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains(id, body!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"/image/v2/images/{id}")).Status);
    }
}
