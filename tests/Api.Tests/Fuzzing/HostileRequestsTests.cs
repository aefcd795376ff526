using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Fuzzing;

/// <summary>
/// A storm of malformed and hostile requests (fixed seed) at every REST route the API maps, as an admin, a member
/// and an attacker from another project: no 5xx (but 501), every 4xx in Nova's shape, nothing of the victim in the
/// attacker's answers, and no server left in a task state afterwards.
/// </summary>
public sealed partial class HostileRequestsTests : IAsyncLifetime
{
    private const int Requests = 10_000, Seed = 20261207;
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(Settings: new Dictionary<string, string?>
    {
        // Valid boots among the storm stop at the quota rather than filling the host.
        ["Nova:Quota:Defaults:Instances"] = "12",
    }));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public async Task Hostile_requests_get_4xx_in_Novas_shape_leak_nothing_and_leave_no_server_busy()
    {
        var targets = await FuzzTargets.Create(stack);
        var routes = Routes();
        Assert.Contains(routes, r => r.Key == "POST /v2.1/servers/{id}/action");
        var failures = new ConcurrentDictionary<string, string>();
        var rng = new Random(Seed);
        var plans = Enumerable.Range(0, Requests).Select(i => Plan(rng, routes, targets)).ToList();

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 12 })
        { BaseAddress = stack.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (plan, _) =>
        {
            foreach (var failure in await Send(http, plan, targets))
                failures.TryAdd($"{plan.Route} {failure.Kind} {failure.Detail[..Math.Min(120, failure.Detail.Length)]}",
                    $"{plan.Method} {Short(plan.Path, 200)} as {plan.Token} [{Short(plan.Body ?? "", 160)}] {plan.ContentType} {plan.Microversion}: {failure.Kind} {failure.Detail}");
        });

        await foreach (var failure in new HostileGrpcCalls(stack, targets, Seed).Run())
            failures.TryAdd("grpc " + failure[..Math.Min(140, failure.Length)], failure);

        var busy = await ServersStillBusy();
        if (busy.Length > 0) failures.TryAdd("busy", "servers still in a task state 60 s after the storm: " + busy);

        Assert.True(failures.IsEmpty, $"{failures.Count} distinct failures in {Requests} requests:\n" +
                                      string.Join("\n", failures.OrderBy(f => f.Key).Select(f => Short(f.Value, 700))));
    }

    private sealed record Route(string Key, string Method, string Template);

    private sealed record RequestPlan(string Route, string Method, string Path, string Token, string? Body, byte[]? Bytes,
        string? ContentType, string Microversion, bool LegacyHeader);

    private List<Route> Routes()
    {
        var source = stack.Services.GetRequiredService<EndpointDataSource>();
        var routes = new List<Route>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var template = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            // gRPC methods (/nova.compute.v1.Servers/GetServer) have their own storm below.
            if (template.Split('/')[1].Contains('.') && !template.StartsWith("/v2.1", StringComparison.Ordinal)) continue;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST", "PUT", "DELETE", "PATCH"];
            foreach (var method in methods) routes.Add(new Route($"{method} {template}", method, template));
        }
        return routes;
    }

    private static readonly string[] Tokens = [FuzzTargets.AdminToken, FuzzTargets.MemberToken, FuzzTargets.AttackerToken];

    private static RequestPlan Plan(Random rng, List<Route> routes, FuzzTargets targets)
    {
        var route = routes[rng.Next(routes.Count)];
        var token = Tokens[rng.Next(Tokens.Length)];
        var pool = targets.ParameterPool(token);
        var path = RouteParameter().Replace(route.Template, m => m.Value.StartsWith("{*", StringComparison.Ordinal)
            ? "no/such/" + pool[rng.Next(pool.Count)]
            : pool[rng.Next(pool.Count)]);
        var method = rng.Next(25) == 0 ? new[] { "PATCH", "PUT", "DELETE", "POST", "HEAD", "OPTIONS" }[rng.Next(6)] : route.Method;
        if (method == "GET" || rng.Next(4) == 0) path += HostileQueries.Next(rng, targets);

        string? body = null;
        byte[]? bytes = null;
        string? contentType = "application/json";
        if (route.Key.EndsWith("/file", StringComparison.Ordinal) && method == "PUT")
        {
            bytes = new byte[rng.Next(10) == 0 ? rng.Next(1_000_000, 3_000_000) : rng.Next(0, 4096)];
            rng.NextBytes(bytes);
            contentType = "application/octet-stream";
        }
        else if (method is "POST" or "PUT" or "PATCH" || rng.Next(20) == 0)
            body = new HostileBodies(rng).Next(RouteSeeds.For(route.Key, rng, targets));
        if (rng.Next(12) == 0) contentType = ContentTypes[rng.Next(ContentTypes.Length)];
        var version = rng.Next(4) == 0 ? Microversions[rng.Next(Microversions.Length)] : $"compute 2.{rng.Next(1, 97)}";
        return new RequestPlan(route.Key, method, path, token, body, bytes, contentType, version, rng.Next(5) == 0);
    }

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "application/json; charset=utf-16", "multipart/form-data; boundary=x", "",
        "application/json-patch+json", "*/*", "application/x-www-form-urlencoded",
    ];

    private static readonly string[] Microversions =
    [
        "compute 2.9999", "compute abc", "compute 3.0", "compute 2.", "compute -1.5", "compute 2.1 2.2", "volume 2.5",
        "compute 99999999999999999999.1", "", "compute latest", "compute 2.1, compute 2.5", "compute 2.0", "compute 1.1",
        "compute 2.-1", "compute " + new string('9', 400),
    ];

    private sealed record Failure(string Kind, string Detail);

    private static long BodyBytes(RequestPlan plan) => plan.Bytes?.Length ?? (plan.Body is null ? 0 : Encoding.UTF8.GetByteCount(plan.Body));

    private static async Task<List<Failure>> Send(HttpClient http, RequestPlan plan, FuzzTargets targets)
    {
        var failures = new List<Failure>();
        using var request = new HttpRequestMessage(new HttpMethod(plan.Method), plan.Path);
        request.Headers.TryAddWithoutValidation("X-Auth-Token", plan.Token);
        if (plan.LegacyHeader) request.Headers.TryAddWithoutValidation("X-OpenStack-Nova-API-Version", plan.Microversion.Replace("compute ", "", StringComparison.Ordinal));
        else request.Headers.TryAddWithoutValidation("OpenStack-API-Version", plan.Microversion);
        if (plan.Body is not null || plan.Bytes is not null)
        {
            request.Content = plan.Bytes is not null ? new ByteArrayContent(plan.Bytes) : new ByteArrayContent(Encoding.UTF8.GetBytes(plan.Body!));
            if (!string.IsNullOrEmpty(plan.ContentType)) request.Content.Headers.TryAddWithoutValidation("Content-Type", plan.ContentType);
        }
        HttpResponseMessage response;
        try { response = await http.SendAsync(request); }
        catch (TaskCanceledException) { failures.Add(new("timeout", "no answer in 60 s")); return failures; }
        catch (HttpRequestException e) when (BodyBytes(plan) > 114688 && e.InnerException is IOException)
        {
            // Refused before its body was read (Nova's limit): the server answers and closes while the client is
            // still writing megabytes, which the client sees as a broken pipe. Not a failure of the API.
            return failures;
        }
        catch (HttpRequestException e) { failures.Add(new("connection", e.Message + " " + e.InnerException?.Message)); return failures; }
        using (response)
        {
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            if (status >= 500 && status != 501) failures.Add(new($"{status}", Short(text, 300)));
            // Kestrel itself refuses what it cannot parse (a request line over 8 KiB: 414, NUL in the path: 400) before
            // any middleware runs, so with no request id and no body; everything the API answered has Nova's shape.
            var answeredByApi = response.Headers.Contains("x-openstack-request-id");
            if (status is >= 400 and < 500 && plan.Method != "HEAD" && answeredByApi && !IsNovaError(text, status))
                failures.Add(new($"shape {status}", Short(text, 300)));
            if (plan.Token == FuzzTargets.AttackerToken && status is >= 200 and < 300)
                foreach (var secret in targets.Secrets)
                    if (text.Contains(secret, StringComparison.Ordinal) && !plan.Path.Contains(secret, StringComparison.Ordinal) && plan.Body?.Contains(secret) != true)
                        failures.Add(new("leak", $"the attacker saw {secret}: {Short(text, 300)}"));
        }
        return failures;
    }

    private static bool IsNovaError(string text, int status)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject { Count: 1 } o && o.First().Value is JsonObject fault
                   && fault["code"]?.GetValue<int>() == status && fault["message"] is JsonValue;
        }
        catch (Exception) { return false; }
    }

    private async Task<string> ServersStillBusy()
    {
        var admin = stack.Client(FuzzTargets.AdminToken, "2.53");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var (_, body) = await admin.Get("/v2.1/servers/detail?all_tenants=1");
            var busy = body!["servers"]!.AsArray()
                .Where(s => s!["OS-EXT-STS:task_state"] is JsonValue)
                .Select(s => $"{s!["id"]} {s["OS-EXT-STS:task_state"]}").ToList();
            if (busy.Count == 0 || DateTime.UtcNow > deadline) return string.Join(", ", busy);
            await Task.Delay(500);
        }
    }

    private static string Short(string s, int max) => s.Length <= max ? s : s[..max] + $"…({s.Length})";
}
