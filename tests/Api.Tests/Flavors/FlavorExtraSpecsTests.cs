using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Flavors;

/// <summary>/flavors/{id}/os-extra_specs: the admin sets, updates and unsets; readers read; Nova's 400s and 404s.</summary>
[Collection(StackCollection.Name)]
public sealed class FlavorExtraSpecsTests(ControlPlaneStack stack)
{
    private async Task<string> NewFlavor(HttpClient admin)
    {
        var id = Random.Shared.Next(100_000, 900_000_000);
        var (status, body) = await admin.Send(HttpMethod.Post, "/v2.1/flavors", new JsonObject
        {
            ["flavor"] = new JsonObject { ["id"] = id, ["name"] = "specs-" + Guid.NewGuid().ToString("N")[..8], ["ram"] = 64, ["vcpus"] = 1, ["disk"] = 1 },
        });
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["flavor"]!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task The_admin_sets_updates_shows_and_unsets_extra_specs_and_a_member_reads_them()
    {
        var admin = stack.Client("admin:admin");
        var member = stack.Client("pia:flavors");
        var id = await NewFlavor(admin);
        var specs = $"/v2.1/flavors/{id}/os-extra_specs";

        var (set, setBody) = await admin.Send(HttpMethod.Post, specs, new { extra_specs = new Dictionary<string, string> { ["hw:numa_nodes"] = "1", ["hw:cpu_policy"] = "shared" } });
        Assert.Equal(HttpStatusCode.OK, set);
        Assert.Equal("shared", setBody!["extra_specs"]!["hw:cpu_policy"]!.GetValue<string>());

        var (updated, updateBody) = await admin.Send(HttpMethod.Put, $"{specs}/hw:numa_nodes", new Dictionary<string, string> { ["hw:numa_nodes"] = "2" });
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal("""{"hw:numa_nodes":"2"}""", updateBody!.ToJsonString());
        // A merge keeps what it does not name; a number is kept as its text.
        Assert.Equal(HttpStatusCode.OK, (await admin.Send(HttpMethod.Post, specs, """{"extra_specs": {"quota:vif_limit": 10}}""")).Status);

        var listed = (await member.Get(specs)).Body!["extra_specs"]!;
        Assert.Equal("2", listed["hw:numa_nodes"]!.GetValue<string>());
        Assert.Equal("shared", listed["hw:cpu_policy"]!.GetValue<string>());
        Assert.Equal("10", listed["quota:vif_limit"]!.GetValue<string>());
        var (shown, item) = await member.Get($"{specs}/hw:cpu_policy");
        Assert.Equal(HttpStatusCode.OK, shown);
        Assert.Equal("""{"hw:cpu_policy":"shared"}""", item!.ToJsonString());

        var (deleted, deleteBody) = await admin.Send(HttpMethod.Delete, $"{specs}/hw:numa_nodes");
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Null(deleteBody);
        var (gone, missing) = await member.Get($"{specs}/hw:numa_nodes");
        Assert.Equal(HttpStatusCode.NotFound, gone);
        Assert.Equal($"Flavor {id} has no extra specs with key hw:numa_nodes.", missing!["itemNotFound"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Send(HttpMethod.Delete, $"{specs}/hw:numa_nodes")).Status);
        Assert.Null((await member.Get(specs)).Body!["extra_specs"]!["hw:numa_nodes"]);
    }

    [Theory]
    [InlineData("PUT", "/hw:numa_nodes", """{"hw:cpu_policy": "shared"}""", "Request body and URI mismatch")]
    [InlineData("PUT", "/hw:numa_nodes", """{"hw:numa_nodes": "1", "hw:cpu_policy": "shared"}""", null)]
    [InlineData("PUT", "/hw:numa_nodes", """{}""", null)]
    [InlineData("POST", "", """{"extra_specs": {"bad/key": "1"}}""", null)]
    [InlineData("POST", "", """{"extra_specs": {"k": true}}""", null)]
    [InlineData("POST", "", """{"extra_specs": {"k": null}}""", null)]
    [InlineData("POST", "", """{"specs": {"k": "v"}}""", null)]
    public async Task A_bad_extra_spec_body_is_400_and_changes_nothing(string method, string suffix, string body, string? message)
    {
        var admin = stack.Client("admin:admin");
        var id = await NewFlavor(admin);

        var (status, error) = await admin.Send(new HttpMethod(method), $"/v2.1/flavors/{id}/os-extra_specs{suffix}", body);

        Assert.True(status == HttpStatusCode.BadRequest, $"{status} {error?.ToJsonString()}");
        if (message is not null) Assert.Equal(message, error!["badRequest"]!["message"]!.GetValue<string>());
        Assert.Equal("{}", (await admin.Get($"/v2.1/flavors/{id}/os-extra_specs")).Body!["extra_specs"]!.ToJsonString());
    }

    [Fact]
    public async Task A_member_may_not_write_extra_specs_and_from_2_61_flavors_carry_them()
    {
        var admin = stack.Client("admin:admin");
        var member = stack.Client("pia:flavors");
        var id = await NewFlavor(admin);
        var specs = $"/v2.1/flavors/{id}/os-extra_specs";
        Assert.Equal(HttpStatusCode.OK, (await admin.Send(HttpMethod.Post, specs, new { extra_specs = new Dictionary<string, string> { ["hw:numa_nodes"] = "1" } })).Status);

        Assert.Equal(HttpStatusCode.Forbidden, (await member.Send(HttpMethod.Post, specs, new { extra_specs = new Dictionary<string, string> { ["k"] = "v" } })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Send(HttpMethod.Put, $"{specs}/hw:numa_nodes", new Dictionary<string, string> { ["hw:numa_nodes"] = "9" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Send(HttpMethod.Delete, $"{specs}/hw:numa_nodes")).Status);

        Assert.Null((await stack.Client("pia:flavors", "2.60").Get($"/v2.1/flavors/{id}")).Body!["flavor"]!["extra_specs"]);
        var shown = (await stack.Client("pia:flavors", "2.61").Get($"/v2.1/flavors/{id}")).Body!["flavor"]!;
        Assert.Equal("1", shown["extra_specs"]!["hw:numa_nodes"]!.GetValue<string>());
        var detail = (await stack.Client("pia:flavors", "2.61").Get("/v2.1/flavors/detail")).Body!["flavors"]!.AsArray();
        Assert.Equal("1", detail.Single(f => f!["id"]!.GetValue<string>() == id)!["extra_specs"]!["hw:numa_nodes"]!.GetValue<string>());
    }
}
