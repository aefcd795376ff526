using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Flavors;

/// <summary>POST and PUT /flavors with Nova's schema: ids as strings or numbers, its validation, 409s and the 2.55 description.</summary>
[Collection(StackCollection.Name)]
public sealed class FlavorCreateTests(ControlPlaneStack stack)
{
    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private static JsonObject Flavor(string name, JsonNode? id = null, JsonNode? ram = null) => new()
    {
        ["flavor"] = new JsonObject { ["name"] = name, ["id"] = id, ["ram"] = ram ?? 64, ["vcpus"] = 1, ["disk"] = 1 },
    };

    [Fact]
    public async Task A_numeric_id_becomes_its_string_and_a_numeric_string_ram_its_number()
    {
        var admin = stack.Client("admin:admin");
        var id = Random.Shared.Next(100_000, 900_000_000);

        var (status, body) = await admin.Send(HttpMethod.Post, "/v2.1/flavors", Flavor(Unique("int-id"), id, ram: "1024"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(id.ToString(), body!["flavor"]!["id"]!.GetValue<string>());
        Assert.Equal(1024, body["flavor"]!["ram"]!.GetValue<int>());
        Assert.Equal("", body["flavor"]!["swap"]!.GetValue<string>()); // Nova's "" for no swap before 2.75
        var (shown, flavor) = await admin.Get($"/v2.1/flavors/{id}");
        Assert.Equal(HttpStatusCode.OK, shown);
        Assert.True(flavor!["flavor"]!["os-flavor-access:is_public"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_null_id_gets_a_uuid_and_a_uuid_id_is_kept()
    {
        var admin = stack.Client("admin:admin");
        var (_, generated) = await admin.Send(HttpMethod.Post, "/v2.1/flavors", Flavor(Unique("none-id")));
        Assert.True(Guid.TryParse(generated!["flavor"]!["id"]!.GetValue<string>(), out _));

        var uuid = Guid.NewGuid().ToString();
        var (status, kept) = await admin.Send(HttpMethod.Post, "/v2.1/flavors", Flavor(Unique("uuid-id"), uuid));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(uuid, kept!["flavor"]!["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"flavor": {"name": " lead", "ram": 64, "vcpus": 1, "disk": 1}}""")]
    [InlineData("""{"flavor": {"name": "trail ", "ram": 64, "vcpus": 1, "disk": 1}}""")]
    [InlineData("""{"flavor": {"name": "", "ram": 64, "vcpus": 1, "disk": 1}}""")]
    [InlineData("""{"flavor": {"name": "zero-ram", "ram": 0, "vcpus": 1, "disk": 1}}""")]
    [InlineData("""{"flavor": {"name": "neg-disk", "ram": 64, "vcpus": 1, "disk": -1}}""")]
    [InlineData("""{"flavor": {"name": "big-vcpus", "ram": 64, "vcpus": 2147483648, "disk": 1}}""")]
    [InlineData("""{"flavor": {"name": "float-ram", "ram": 1.5, "vcpus": 1, "disk": 1}}""")]
    [InlineData("""{"flavor": {"name": "word-swap", "ram": 64, "vcpus": 1, "disk": 1, "swap": "lots"}}""")]
    [InlineData("""{"flavor": {"name": "zero-rxtx", "ram": 64, "vcpus": 1, "disk": 1, "rxtx_factor": 0}}""")]
    [InlineData("""{"flavor": {"name": "bad-public", "ram": 64, "vcpus": 1, "disk": 1, "os-flavor-access:is_public": "maybe"}}""")]
    [InlineData("""{"flavor": {"name": "bad-id", "id": " x", "ram": 64, "vcpus": 1, "disk": 1}}""")]
    [InlineData("""{"flavor": {"name": "slash-id", "id": "a/b", "ram": 64, "vcpus": 1, "disk": 1}}""")]
    [InlineData("""{"flavor": {"name": "no-ram", "vcpus": 1, "disk": 1}}""")]
    [InlineData("""{"flavor": {"name": "extra", "ram": 64, "vcpus": 1, "disk": 1, "color": "red"}}""")]
    [InlineData("""{"flavor": {"name": "early-description", "ram": 64, "vcpus": 1, "disk": 1, "description": "before 2.55"}}""")]
    public async Task Nova_s_schema_refuses_the_body_with_400_and_nothing_is_created(string body)
    {
        var admin = stack.Client("admin:admin", "2.54");
        var name = JsonNode.Parse(body)!["flavor"]!["name"]!.GetValue<string>();

        var (status, error) = await admin.Send(HttpMethod.Post, "/v2.1/flavors", body);

        Assert.True(status == HttpStatusCode.BadRequest, $"{status} {error?.ToJsonString()}");
        Assert.NotNull(error!["badRequest"]!["message"]);
        Assert.DoesNotContain((await admin.Get("/v2.1/flavors?is_public=none")).Body!["flavors"]!.AsArray(),
            f => f!["name"]!.GetValue<string>() == name && name.Length > 0);
    }

    [Fact]
    public async Task A_duplicate_id_or_name_is_409()
    {
        var admin = stack.Client("admin:admin");
        var (name, id) = (Unique("dup"), Unique("dup-id"));
        Assert.Equal(HttpStatusCode.OK, (await admin.Send(HttpMethod.Post, "/v2.1/flavors", Flavor(name, id))).Status);

        var (sameId, idError) = await admin.Send(HttpMethod.Post, "/v2.1/flavors", Flavor(Unique("other"), id));
        var (sameName, nameError) = await admin.Send(HttpMethod.Post, "/v2.1/flavors", Flavor(name, Unique("other-id")));

        Assert.Equal(HttpStatusCode.Conflict, sameId);
        Assert.Equal($"Flavor with ID {id} already exists.", idError!["conflictingRequest"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, sameName);
        Assert.Equal($"Flavor with name {name} already exists.", nameError!["conflictingRequest"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task At_2_55_a_flavor_has_a_description_the_admin_can_update_and_below_the_update_does_not_exist()
    {
        var admin = stack.Client("admin:admin", "2.55");
        var id = Unique("described");
        var created = new JsonObject
        {
            ["flavor"] = new JsonObject { ["name"] = id, ["id"] = id, ["ram"] = 64, ["vcpus"] = 1, ["disk"] = 1, ["description"] = "first" },
        };
        var (status, body) = await admin.Send(HttpMethod.Post, "/v2.1/flavors", created);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("first", body!["flavor"]!["description"]!.GetValue<string>());

        var (updated, after) = await admin.Send(HttpMethod.Put, $"/v2.1/flavors/{id}", new { flavor = new { description = "second" } });
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal("second", after!["flavor"]!["description"]!.GetValue<string>());
        var listed = (await stack.Client("pia:flavors", "2.55").Get("/v2.1/flavors")).Body!["flavors"]!.AsArray();
        Assert.Contains(listed, f => f!["id"]!.GetValue<string>() == id && f["description"]!.GetValue<string>() == "second");

        // Only the description, and only by an admin; before 2.55 there is no such route.
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Send(HttpMethod.Put, $"/v2.1/flavors/{id}", new { flavor = new { name = "x" } })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Send(HttpMethod.Put, $"/v2.1/flavors/{id}", new { flavor = new { } })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await stack.Client("pia:flavors", "2.55").Send(HttpMethod.Put, $"/v2.1/flavors/{id}",
            new { flavor = new { description = "member" } })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.Client("admin:admin", "2.54").Send(HttpMethod.Put, $"/v2.1/flavors/{id}",
            new { flavor = new { description = "old" } })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Send(HttpMethod.Put, $"/v2.1/flavors/{Unique("missing")}",
            new { flavor = new { description = "none" } })).Status);
        Assert.Equal("second", (await admin.Get($"/v2.1/flavors/{id}")).Body!["flavor"]!["description"]!.GetValue<string>());
        Assert.Null((await stack.Client("admin:admin", "2.54").Get($"/v2.1/flavors/{id}")).Body!["flavor"]!["description"]);
    }
}
