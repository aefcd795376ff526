using System.Net;
using System.Text.Json.Nodes;
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
    public async Task Every_response_carries_its_own_request_id_whatever_the_client_sent()
    {
        using var client = stack.Client("hal:hdr");
        using var plain = await client.GetAsync("/v2.1/servers");
        Assert.StartsWith("req-", plain.Headers.GetValues("x-openstack-request-id").Single());
        Assert.Equal(plain.Headers.GetValues("x-openstack-request-id").Single(), plain.Headers.GetValues("x-compute-request-id").Single());

        // A client's own id is its global request id (oslo.middleware): the answer names this request by an id of its own.
        var global = $"req-{Guid.NewGuid()}";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2.1/servers/00000000-0000-0000-0000-000000000000");
        request.Headers.Add("X-Openstack-Request-Id", global);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var answered = response.Headers.GetValues("x-openstack-request-id").Single();
        Assert.StartsWith("req-", answered);
        Assert.NotEqual(global, answered);
    }

    [Fact]
    public async Task The_version_list_has_only_the_keys_tempests_schema_allows_and_one_version_has_its_media_types()
    {
        using var anonymous = new HttpClient { BaseAddress = stack.BaseAddress };
        var (_, root) = await anonymous.Get("/");
        foreach (var version in root!["versions"]!.AsArray())
        {
            Assert.Equal(["id", "links", "min_version", "status", "updated", "version"], version!.AsObject().Select(p => p.Key).Order());
            Assert.Equal("self", Assert.Single(version["links"]!.AsArray())!["rel"]!.GetValue<string>());
        }
        var (_, one) = await anonymous.Get("/v2.1");
        var v21 = one!["version"]!;
        Assert.Null(v21["media_types"]);
        Assert.Equal("application/vnd.openstack.compute+json;version=2.1", v21["media-types"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(["self", "describedby"], v21["links"]!.AsArray().Select(l => l!["rel"]!.GetValue<string>()));

        var client = stack.Client("hal:hdr");
        var (status, v20) = await client.Get("/v2.1/versions/v2.0");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("v2.0", v20!["version"]!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get("/v2.1/versions/v3.0")).Status);
    }

    [Fact]
    public async Task Extensions_are_novas_frozen_list_and_one_is_found_by_its_alias()
    {
        var client = stack.Client("hal:hdr");
        var (status, list) = await client.Get("/v2.1/extensions");
        Assert.Equal(HttpStatusCode.OK, status);
        var extensions = list!["extensions"]!.AsArray();
        Assert.Contains(extensions, e => e!["name"]!.GetValue<string>() == "Hosts");
        Assert.All(extensions, e => Assert.Equal(["alias", "description", "links", "name", "namespace", "updated"],
            e!.AsObject().Select(p => p.Key).Order()));
        var (_, consoles) = await client.Get("/v2.1/extensions/os-consoles");
        Assert.Equal("os-consoles", consoles!["extension"]!["alias"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get("/v2.1/extensions/os-nothing")).Status);
    }

    [Fact]
    public async Task Every_route_answers_under_the_project_id_too_with_links_in_that_form_and_another_projects_id_is_400()
    {
        const string project = "0a1b2c3d-4e5f";
        var client = stack.Client($"hal:{project}");
        var id = await client.CreateServer("by-project-url");

        var (status, shown) = await client.Get($"/v2.1/{project}/servers/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        var links = shown!["server"]!["links"]!.AsArray().Select(l => l!["href"]!.GetValue<string>()).ToList();
        Assert.EndsWith($"/v2.1/{project}/servers/{id}", links[0]);
        Assert.EndsWith($"/{project}/servers/{id}", links[1]);
        // Without the project id the links are without it too.
        var (_, plain) = await client.Get($"/v2.1/servers/{id}");
        Assert.EndsWith($"/v2.1/servers/{id}", plain!["server"]!["links"]![0]!["href"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.Get($"/v2.1/{project}/flavors")).Status);

        var (wrong, error) = await client.Get($"/v2.1/{project}ff/servers");
        Assert.Equal(HttpStatusCode.BadRequest, wrong);
        Assert.Contains("doesn't match Context's project_id", error!["badRequest"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_servers_addresses_are_empty_without_a_network_service_and_a_network_is_404()
    {
        var client = stack.Client("hal:ips");
        var id = await client.CreateServer("addressed");
        var (status, ips) = await client.Get($"/v2.1/servers/{id}/ips");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("{\"addresses\":{}}", ips!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"/v2.1/servers/{id}/ips/private")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.Client("eve:elsewhere").Get($"/v2.1/servers/{id}/ips")).Status);
    }
}
