using System.Net;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests;

[Collection(StackCollection.Name)]
public sealed class VersionAndHeaderTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task Root_lists_v2_0_supported_and_v2_1_current_without_auth()
    {
        using var anonymous = new HttpClient { BaseAddress = stack.BaseAddress };
        var (status, body) = await anonymous.Get("/");
        Assert.Equal(HttpStatusCode.OK, status);
        var versions = body!["versions"]!.AsArray();
        Assert.Equal("v2.0", versions[0]!["id"]!.GetValue<string>());
        Assert.Equal("SUPPORTED", versions[0]!["status"]!.GetValue<string>());
        Assert.Equal("v2.1", versions[1]!["id"]!.GetValue<string>());
        Assert.Equal("CURRENT", versions[1]!["status"]!.GetValue<string>());
        Assert.Equal("2.1", versions[1]!["min_version"]!.GetValue<string>());
        var (_, v21) = await anonymous.Get("/v2.1/");
        Assert.Equal(versions[1]!["version"]!.GetValue<string>(), v21!["version"]!["version"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("compute 2.37", "2.37")]
    [InlineData("compute latest", "2.72")]
    [InlineData(null, "2.1")]
    public async Task Microversions_are_negotiated_and_echoed(string? header, string expected)
    {
        using var client = stack.Client("hal:hdr");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2.1/flavors");
        if (header is not null) request.Headers.Add("OpenStack-API-Version", header);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"compute {expected}", response.Headers.GetValues("OpenStack-API-Version").Single());
        Assert.Equal(expected, response.Headers.GetValues("X-OpenStack-Nova-API-Version").Single());
    }

    [Fact]
    public async Task A_version_out_of_range_is_406()
    {
        var (status, _) = await stack.Client("hal:hdr", "2.999").Get("/v2.1/servers");
        Assert.Equal(HttpStatusCode.NotAcceptable, status);
    }

    [Fact]
    public async Task Every_response_carries_a_request_id_and_a_clients_own_id_is_kept()
    {
        using var client = stack.Client("hal:hdr");
        using var plain = await client.GetAsync("/v2.1/servers");
        Assert.StartsWith("req-", plain.Headers.GetValues("x-openstack-request-id").Single());
        Assert.Equal(plain.Headers.GetValues("x-openstack-request-id").Single(), plain.Headers.GetValues("x-compute-request-id").Single());

        var own = $"req-{Guid.NewGuid()}";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2.1/servers/00000000-0000-0000-0000-000000000000");
        request.Headers.Add("X-OpenStack-Request-ID", own);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(own, response.Headers.GetValues("x-openstack-request-id").Single());
    }
}
