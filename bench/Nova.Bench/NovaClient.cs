using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Nova.Bench;

/// <summary>A server as GET /servers/detail shows it: only what the benchmark looks at.</summary>
public readonly record struct ServerRow(string Id, string Status);

/// <summary>The monotonic clock every timestamp of a run is read from, in milliseconds.</summary>
public static class Clock
{
    private static readonly Stopwatch Watch = Stopwatch.StartNew();
    public static double Now => Watch.Elapsed.TotalMilliseconds;
}

public sealed class NovaApiException(string message) : Exception(message);

/// <summary>The compute API seen by one noauth2 caller (<c>user:project</c>), at microversion 2.37.</summary>
public sealed class NovaClient(HttpClient http, string token)
{
    public const string DefaultImage = "8f4c3b2a-1d5e-4c6f-9a7b-0e1d2c3b4a59";

    public static HttpClient NewHttp(string url) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = new Uri(url.TrimEnd('/') + "/v2.1/"),
            Timeout = TimeSpan.FromSeconds(60),
        };

    private HttpRequestMessage Request(HttpMethod method, string path, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("X-Auth-Token", token);
        request.Headers.TryAddWithoutValidation("OpenStack-API-Version", "compute 2.37");
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return request;
    }

    private async Task<(HttpStatusCode Status, byte[] Body)> Send(HttpMethod method, string path, string? json = null)
    {
        using var request = Request(method, path, json);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    public static string CreateBody(string name, int count = 1)
    {
        var server = new Dictionary<string, object>
        {
            ["name"] = name,
            ["flavorRef"] = "1",
            ["imageRef"] = DefaultImage,
            ["networks"] = "none",
        };
        if (count > 1)
        {
            server["min_count"] = count;
            server["max_count"] = count;
        }
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["server"] = server });
    }

    /// <summary>POST /servers with a prepared body; returns the id of the (first) server.</summary>
    public async Task<string> Create(string body)
    {
        var (status, bytes) = await Send(HttpMethod.Post, "servers", body);
        if (status != HttpStatusCode.Accepted)
            throw new NovaApiException($"POST /servers answered {(int)status}: {Snippet(bytes)}");
        using var doc = JsonDocument.Parse(bytes);
        return doc.RootElement.GetProperty("server").GetProperty("id").GetString()
               ?? throw new NovaApiException("POST /servers answered without an id");
    }

    public async Task Delete(string id)
    {
        var (status, bytes) = await Send(HttpMethod.Delete, $"servers/{id}");
        if (status is not (HttpStatusCode.NoContent or HttpStatusCode.NotFound))
            throw new NovaApiException($"DELETE /servers/{id} answered {(int)status}: {Snippet(bytes)}");
    }

    public async Task<List<ServerRow>> ListDetail()
    {
        var (status, bytes) = await Send(HttpMethod.Get, "servers/detail");
        if (status != HttpStatusCode.OK)
            throw new NovaApiException($"GET /servers/detail answered {(int)status}: {Snippet(bytes)}");
        using var doc = JsonDocument.Parse(bytes);
        var rows = new List<ServerRow>();
        foreach (var s in doc.RootElement.GetProperty("servers").EnumerateArray())
            rows.Add(new ServerRow(s.GetProperty("id").GetString() ?? "", s.GetProperty("status").GetString() ?? ""));
        return rows;
    }

    /// <summary>GET /servers/detail, timed from sending to the last byte of the body.</summary>
    public async Task<(double Ms, int Count)> TimedListDetail()
    {
        var start = Clock.Now;
        var (status, bytes) = await Send(HttpMethod.Get, "servers/detail");
        var ms = Clock.Now - start;
        if (status != HttpStatusCode.OK)
            throw new NovaApiException($"GET /servers/detail answered {(int)status}: {Snippet(bytes)}");
        using var doc = JsonDocument.Parse(bytes);
        return (ms, doc.RootElement.GetProperty("servers").GetArrayLength());
    }

    private static string Snippet(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}
