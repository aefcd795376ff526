using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Nova.Api.Tests.Infrastructure;

/// <summary>The few REST calls the tests make again and again, as a Nova client would make them.</summary>
public static class NovaClient
{
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> Send(this HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is string raw) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    public static Task<(HttpStatusCode Status, JsonNode? Body)> Get(this HttpClient client, string path) => client.Send(HttpMethod.Get, path);

    public static async Task<string> CreateServer(this HttpClient client, string name, string flavor = "1", string? image = null)
    {
        var (status, body) = await client.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name, flavorRef = flavor, imageRef = image ?? ControlPlaneStack.DefaultImage, networks = "none" },
        });
        Assert.True(status == HttpStatusCode.Accepted, $"create {name}: {status} {body?.ToJsonString()}");
        return body!["server"]!["id"]!.GetValue<string>();
    }

    /// <summary>A server created and waited for until ACTIVE, where most action tests start.</summary>
    public static async Task<string> ActiveServer(this HttpClient client, string name, string flavor = "1", int seconds = 20)
    {
        var id = await client.CreateServer(name, flavor);
        await client.WaitForStatus(id, "ACTIVE", seconds);
        return id;
    }

    public static async Task<JsonNode> Server(this HttpClient client, string id)
    {
        var (status, body) = await client.Get($"/v2.1/servers/{id}");
        Assert.True(status == HttpStatusCode.OK, $"show {id}: {status} {body?.ToJsonString()}");
        return body!["server"]!;
    }

    public static Task<JsonNode> WaitForStatus(this HttpClient client, string id, string status, int seconds = 20) =>
        Eventually.Value(() => client.Server(id),
            s => s["status"]!.GetValue<string>() == status && s["OS-EXT-STS:task_state"] is null,
            TimeSpan.FromSeconds(seconds), $"server {id} {status}");

    public static async Task<HttpStatusCode> Act(this HttpClient client, string id, object action) =>
        (await client.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action", action)).Status;

    public static async Task WaitUntilGone(this HttpClient client, string id, int seconds = 20) =>
        await Eventually.True(async () => (await client.Get($"/v2.1/servers/{id}")).Status == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(seconds), $"server {id} gone");
}
