using System.Net;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Servers;

/// <summary>Bad input gets a 4xx in Nova's error shape and appends nothing.</summary>
[Collection(StackCollection.Name)]
public sealed class BadInputTests(ControlPlaneStack stack)
{
    public static TheoryData<string, string, string, int, string> Requests => new()
    {
        { "POST", "/v2.1/servers", "{not json", 400, "badRequest" },
        { "POST", "/v2.1/servers", "[1,2]", 400, "badRequest" },
        { "POST", "/v2.1/servers", """{"server": {"flavorRef": "1", "imageRef": "IMAGE"}}""", 400, "badRequest" },
        { "POST", "/v2.1/servers", """{"server": {"name": 42, "flavorRef": "1", "imageRef": "IMAGE"}}""", 400, "badRequest" },
        { "POST", "/v2.1/servers", """{"server": {"name": "  ", "flavorRef": "1", "imageRef": "IMAGE"}}""", 400, "badRequest" },
        { "POST", "/v2.1/servers", """{"server": {"name": "x", "flavorRef": "no-such-flavor", "imageRef": "IMAGE"}}""", 400, "badRequest" },
        { "POST", "/v2.1/servers", """{"server": {"name": "x", "flavorRef": "1", "imageRef": "00000000-0000-0000-0000-000000000000"}}""", 400, "badRequest" },
        { "POST", "/v2.1/servers", """{"server": {"name": "x", "flavorRef": "1", "imageRef": "IMAGE", "metadata": {"a": 1}}}""", 400, "badRequest" },
        { "POST", "/v2.1/servers", """{"server": {"name": "x", "flavorRef": "1", "imageRef": "IMAGE", "networks": "bogus"}}""", 400, "badRequest" },
        { "POST", "/v2.1/servers", """{"server": {"name": "x", "flavorRef": "1", "imageRef": "IMAGE", "min_count": 3, "max_count": 2}}""", 400, "badRequest" },
        { "POST", "/v2.1/servers", """{"server": {"name": "x", "flavorRef": "1", "imageRef": "IMAGE", "networks": "none", "availability_zone": "nowhere"}}""", 400, "badRequest" },
        { "POST", "/v2.1/servers", """{"server": {"name": "x", "flavorRef": "1", "imageRef": "IMAGE", "networks": "none"}, "os:scheduler_hints": {"group": "00000000-0000-0000-0000-000000000000"}}""", 400, "badRequest" },
        { "POST", "/v2.1/servers/SERVER/action", """{"explode": null}""", 400, "badRequest" },
        { "POST", "/v2.1/servers/SERVER/action", """{"reboot": {}}""", 400, "badRequest" },
        { "POST", "/v2.1/servers/SERVER/action", """{"reboot": {"type": "GENTLE"}}""", 400, "badRequest" },
        { "POST", "/v2.1/servers/SERVER/action", """{"os-stop": null, "os-start": null}""", 400, "badRequest" },
        { "POST", "/v2.1/servers/not-a-uuid/action", """{"os-stop": null}""", 404, "itemNotFound" },
        { "GET", "/v2.1/servers/00000000-0000-0000-0000-000000000000", "", 404, "itemNotFound" },
        { "GET", "/v2.1/servers?limit=-1", "", 400, "badRequest" },
        { "GET", "/v2.1/servers?marker=00000000-0000-0000-0000-000000000000", "", 400, "badRequest" },
        { "POST", "/v2.1/flavors", """{"flavor": {"name": "x", "ram": 1, "vcpus": 1, "disk": 1}}""", 403, "forbidden" },
        { "DELETE", "/v2.1/flavors/1", "", 403, "forbidden" },
        { "GET", "/v2.1/no-such-resource", "", 404, "itemNotFound" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Is_refused_with_Novas_error_shape_and_changes_nothing(string method, string path, string body, int status, string fault)
    {
        var client = stack.Client("gina:bad", "2.37");
        var server = await ExistingServer(client);
        var before = await stack.EventCount();

        var (actual, response) = await client.Send(new HttpMethod(method), path.Replace("SERVER", server),
            body.Length == 0 ? null : body.Replace("IMAGE", ControlPlaneStack.DefaultImage));

        Assert.Equal((HttpStatusCode)status, actual);
        Assert.Equal(status, response![fault]!["code"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(response[fault]!["message"]!.GetValue<string>()));
        Assert.Equal(before, await stack.EventCount());
    }

    [Fact]
    public async Task Networks_are_required_from_microversion_2_37_and_optional_before()
    {
        var body = new { server = new { name = "nets", flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage } };
        Assert.Equal(HttpStatusCode.BadRequest, (await stack.Client("gina:bad", "2.37").Send(HttpMethod.Post, "/v2.1/servers", body)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await stack.Client("gina:bad", "2.36").Send(HttpMethod.Post, "/v2.1/servers", body)).Status);
    }

    [Fact]
    public async Task A_request_without_a_token_is_401()
    {
        using var anonymous = new HttpClient { BaseAddress = stack.BaseAddress };
        var (status, body) = await anonymous.Get("/v2.1/servers");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(401, body!["unauthorized"]!["code"]!.GetValue<int>());
    }

    private static readonly SemaphoreSlim Once = new(1, 1);
    private static string? server;

    private async Task<string> ExistingServer(HttpClient client)
    {
        await Once.WaitAsync();
        try
        {
            if (server is null)
            {
                server = await client.CreateServer("target");
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
