using System.Net;
using System.Text;
using Grpc.Core;
using Nova.Api.Tests.Grpc;
using Nova.Api.Tests.Infrastructure;
using Nova.Compute.V1;
using Nova.Domain.Hosts;

namespace Nova.Api.Tests.Http;

/// <summary>What the fuzz storm found, one row each: a 4xx in Nova's shape (never a 500), and nothing appended.</summary>
[Collection(StackCollection.Name)]
public sealed class HostileInputTests(ControlPlaneStack stack)
{
    private const string Member = "hana:hostile", Admin = "admin:admin";
    private static readonly string Boot = $$$"""{"server": {"name": "NAME", "flavorRef": "1", "imageRef": "{{{ControlPlaneStack.DefaultImage}}}", "networks": "none"}}""";

    public static TheoryData<string, string, string, string, int> Requests => new()
    {
        // token, method, path, body, status
        { Member, "POST", "/v2.1/servers", Boot[..^1] + """, "server": {"name": "twice"}}""", 400 },
        { Member, "POST", "/v2.1/servers", Boot.Replace("NAME", "\\ud800"), 400 },
        { Member, "POST", "/v2.1/servers", Boot.Replace("NAME", "a\\udc00b"), 400 },
        { Member, "POST", "/v2.1/servers", Boot.Replace("NAME", "nul\\u0000"), 400 },
        { Member, "POST", "/v2.1/servers", Boot.Replace("\"networks\"", "\"metadata\": {\"k\\u0000\": \"v\"}, \"networks\""), 400 },
        { Member, "POST", "/v2.1/servers", Boot.Replace("NAME", new string('n', 120_000)), 413 },
        { Member, "GET", "/v2.1/servers?name=%00", "", 400 },
        { Member, "GET", "/v2.1/servers/detail?flavor=a%00b", "", 400 },
        { Member, "GET", "/v2.1/servers/detail?name=(%3F<n>x)", "", 400 },
        { Member, "GET", "/v2.1/servers/detail?name=%5B%5B:alpha:%5D", "", 400 },
        { Member, "GET", "/v2.1/servers/detail?name=" + new string('x', 2000), "", 400 },
        { Member, "POST", "/v2.1/os-server-groups", """{"server_group": {"name": "g", "policies": [1]}}""", 400 },
        { Member, "POST", "/v2.1/os-server-groups", """{"server_group": {"name": "g", "policies": [null]}}""", 400 },
        { Member, "POST", "/v2.1/servers/SERVER/action", """{"rescue": {"adminPass": "LONG", "locked_reason": "LONG"}}""", 400 },
        { Member, "POST", "/v2.1/servers/HOST/action", """{"os-stop": null}""", 404 },
        { Member, "DELETE", "/v2.1/servers/HOST", "", 404 },
        { Admin, "POST", "/v2.1/servers/HOST/action", """{"os-resetState": {"state": "error"}}""", 404 },
        { Admin, "POST", "/v2.1/flavors", """{"flavor": {"name": "inf", "ram": 64, "vcpus": 1, "disk": 1, "rxtx_factor": 1e999}}""", 400 },
        { Admin, "POST", "/v2.1/flavors", """{"flavor": {"name": "big", "ram": 64, "vcpus": 1, "disk": 2147483647, "OS-FLV-EXT-DATA:ephemeral": 1}}""", 400 },
        { Admin, "POST", "/v2.1/os-aggregates", """{"aggregate": {"name": "a", "name": "b"}}""", 400 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Is_refused_with_Novas_error_shape_and_changes_nothing(string token, string method, string path, string body, int status)
    {
        var client = stack.Client(token, "2.72");
        var server = await ExistingServer();
        var before = await stack.EventCount();
        using var request = new HttpRequestMessage(new HttpMethod(method),
            path.Replace("SERVER", server).Replace("HOST", ComputeHostId.From("fake-1").ToString()));
        if (body.Length > 0) request.Content = new StringContent(body.Replace("LONG", new string('r', 256)), Encoding.UTF8, "application/json");

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(status == (int)response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        var fault = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject().Single().Value!;
        Assert.Equal(status, fault["code"]!.GetValue<int>());
        Assert.Equal(before, await stack.EventCount());
    }

    [Fact]
    public async Task A_gRPC_request_with_a_NUL_in_a_string_is_invalid_argument()
    {
        using var grpc = stack.Grpc(Member);
        var e = await GrpcCaller.Fails(() => grpc.Servers.CreateServerAsync(new CreateServerRequest
        {
            Name = "a\0b", FlavorRef = "1", ImageRef = ControlPlaneStack.DefaultImage, Networks = "none",
        }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        e = await GrpcCaller.Fails(() => grpc.Flavors.GetFlavorAsync(new GetFlavorRequest { FlavorId = "\0" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Fact]
    public async Task A_gRPC_name_filter_PostgreSQL_cannot_compile_is_invalid_argument()
    {
        using var grpc = stack.Grpc(Member);
        var e = await GrpcCaller.Fails(() => grpc.Servers.ListServersAsync(new ListServersRequest { Name = "(?<n>x)" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    private static readonly SemaphoreSlim Once = new(1, 1);
    private static string? server;

    private async Task<string> ExistingServer()
    {
        await Once.WaitAsync();
        try
        {
            if (server is null)
            {
                var client = stack.Client(Member);
                server = await client.CreateServer("hostile-target");
                await client.WaitForStatus(server, "ACTIVE");
            }
            return server;
        }
        finally
        {
            Once.Release();
        }
    }
}
