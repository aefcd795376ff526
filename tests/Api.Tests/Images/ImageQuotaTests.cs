using System.Net;
using System.Net.Http.Headers;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Images;

/// <summary>Glance's per-project image limits: a count and total bytes; over either is 413 and nothing is stored.</summary>
public sealed class ImageQuotaTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(Settings: new Dictionary<string, string?>
    {
        ["Nova:Images:Quota:Count"] = "2",
        ["Nova:Images:Quota:TotalBytes"] = "1000000",
    }));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task A_project_over_its_image_count_or_bytes_gets_413_and_keeps_what_it_had()
    {
        var member = stack.Client("ida:images");
        var first = await Register(member);
        var second = await Register(member);

        Assert.Equal(HttpStatusCode.NoContent, await Upload(member, first, 600_000));
        var (over, body) = await Send(member, second, 600_000);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over);
        Assert.Equal(413, body!["overLimit"]!["code"]!.GetValue<int>());
        Assert.Equal("queued", (await member.Get($"/image/v2/images/{second}")).Body!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, await Upload(member, second, 300_000));

        var (third, refused) = await member.Send(HttpMethod.Post, "/image/v2/images", new { name = "third", disk_format = "raw", container_format = "bare" });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, third);
        Assert.Equal(413, refused!["overLimit"]!["code"]!.GetValue<int>());
        Assert.Equal(2, (await member.Get("/image/v2/images")).Body!["images"]!.AsArray().Count(i => i!["owner"]?.GetValue<string>() == "images"));

        // Another project's quota is its own.
        await Register(stack.Client("jo:other-images"));
    }

    private static async Task<string> Register(HttpClient client)
    {
        var (status, body) = await client.Send(HttpMethod.Post, "/image/v2/images", new { name = "q", disk_format = "raw", container_format = "bare" });
        Assert.True(status == HttpStatusCode.Created, $"{status} {body?.ToJsonString()}");
        return body!["id"]!.GetValue<string>();
    }

    private static async Task<HttpStatusCode> Upload(HttpClient client, string id, int bytes) => (await Send(client, id, bytes)).Status;

    private static async Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)> Send(HttpClient client, string id, int bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/image/v2/images/{id}/file")
        {
            Content = new ByteArrayContent(new byte[bytes]) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
        };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? System.Text.Json.Nodes.JsonNode.Parse(text) : null);
    }
}
