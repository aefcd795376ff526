using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Hosts;

/// <summary>The operator calls the host tests make, as the openstack CLI makes them.</summary>
public static class HostRequests
{
    public static async Task<JsonArray> Services(this HttpClient admin, string query = "")
    {
        var (status, body) = await admin.Get("/v2.1/os-services" + query);
        Assert.True(status == HttpStatusCode.OK, $"os-services{query}: {status} {body?.ToJsonString()}");
        return body!["services"]!.AsArray();
    }

    public static async Task<JsonNode> ComputeService(this HttpClient admin, string host) =>
        Assert.Single(await admin.Services($"?host={host}&binary=nova-compute"))!;

    /// <summary>PUT /os-services/{uuid} (2.53+): the client must be on 2.53 or later.</summary>
    public static async Task<JsonNode> UpdateService(this HttpClient admin, string host, object body)
    {
        var id = (await admin.ComputeService(host))["id"]!.GetValue<string>();
        var (status, response) = await admin.Send(HttpMethod.Put, $"/v2.1/os-services/{id}", body);
        Assert.True(status == HttpStatusCode.OK, $"update {host}: {status} {response?.ToJsonString()}");
        return response!["service"]!;
    }

    public static async Task<JsonArray> Hypervisors(this HttpClient admin, string path = "/detail")
    {
        var (status, body) = await admin.Get("/v2.1/os-hypervisors" + path);
        Assert.True(status == HttpStatusCode.OK, $"os-hypervisors{path}: {status} {body?.ToJsonString()}");
        return body!["hypervisors"]!.AsArray();
    }

    /// <summary>Where the scheduler put an ACTIVE server (admins see the host).</summary>
    public static async Task<string> HostOf(this HttpClient admin, string serverId) =>
        (await admin.Server(serverId))["OS-EXT-SRV-ATTR:host"]!.GetValue<string>();

    public static string Text(this JsonNode node, string key) => node[key]!.GetValue<string>();
}
