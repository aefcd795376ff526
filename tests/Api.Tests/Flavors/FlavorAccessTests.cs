using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Flavors;

/// <summary>
/// A private flavor's access list: the projects it names see and boot it like a public one; any other project gets
/// Nova's "not found". addTenantAccess / removeTenantAccess and os-flavor-access are the admin's.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class FlavorAccessTests(ControlPlaneStack stack)
{
    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task<string> PrivateFlavor(HttpClient admin)
    {
        var id = Unique("shared");
        var (status, _) = await admin.Send(HttpMethod.Post, "/v2.1/flavors", new JsonObject
        {
            ["flavor"] = new JsonObject { ["id"] = id, ["name"] = id, ["ram"] = 64, ["vcpus"] = 1, ["disk"] = 1, ["os-flavor-access:is_public"] = "False" },
        });
        Assert.Equal(HttpStatusCode.OK, status);
        return id;
    }

    private static Task<(HttpStatusCode Status, JsonNode? Body)> Access(HttpClient client, string flavor, string action, string tenant) =>
        client.Send(HttpMethod.Post, $"/v2.1/flavors/{flavor}/action", new Dictionary<string, object> { [action] = new { tenant } });

    private static async Task<List<string>> Listed(HttpClient client, string query = "") =>
        (await client.Get("/v2.1/flavors/detail" + query)).Body!["flavors"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task A_project_on_the_access_list_sees_and_boots_the_private_flavor_until_it_is_removed()
    {
        var admin = stack.Client("admin:admin");
        var project = Unique("shared");
        var shared = stack.Client("ana:" + project);
        var outsider = stack.Client("otto:elsewhere");
        var flavor = await PrivateFlavor(admin);
        Assert.Equal("""{"flavor_access":[]}""", (await admin.Get($"/v2.1/flavors/{flavor}/os-flavor-access")).Body!.ToJsonString());
        Assert.DoesNotContain(flavor, await Listed(shared));

        var (added, list) = await Access(admin, flavor, "addTenantAccess", project);

        Assert.Equal(HttpStatusCode.OK, added);
        Assert.Equal($$"""{"flavor_access":[{"flavor_id":"{{flavor}}","tenant_id":"{{project}}"}]}""", list!.ToJsonString());
        Assert.Equal(list.ToJsonString(), (await admin.Get($"/v2.1/flavors/{flavor}/os-flavor-access")).Body!.ToJsonString());
        Assert.Contains(flavor, await Listed(shared));
        Assert.Equal(HttpStatusCode.OK, (await shared.Get($"/v2.1/flavors/{flavor}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await shared.Get($"/v2.1/flavors/{flavor}/os-extra_specs")).Status);
        Assert.DoesNotContain(flavor, await Listed(outsider));
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Get($"/v2.1/flavors/{flavor}")).Status);
        var server = await shared.CreateServer("on-shared", flavor);

        var (removed, after) = await Access(admin, flavor, "removeTenantAccess", project);

        Assert.Equal(HttpStatusCode.OK, removed);
        Assert.Equal("""{"flavor_access":[]}""", after!.ToJsonString());
        Assert.DoesNotContain(flavor, await Listed(shared));
        var (refused, error) = await shared.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name = "after-removal", flavorRef = flavor, imageRef = ControlPlaneStack.DefaultImage, networks = "none" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal($"Flavor {flavor} could not be found.", error!["badRequest"]!["message"]!.GetValue<string>());
        // The server built while the flavor was shared keeps its own copy of it.
        await shared.WaitForStatus(server, "ACTIVE");
    }

    [Fact]
    public async Task A_project_without_access_cannot_resize_to_the_private_flavor()
    {
        var admin = stack.Client("admin:admin");
        var member = stack.Client("rita:resizers");
        var flavor = await PrivateFlavor(admin);
        var server = await member.CreateServer("to-resize");
        await member.WaitForStatus(server, "ACTIVE");
        var events = await stack.EventCount();

        var (status, error) = await member.Send(HttpMethod.Post, $"/v2.1/servers/{server}/action", new { resize = new { flavorRef = flavor } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"Flavor {flavor} could not be found.", error!["badRequest"]!["message"]!.GetValue<string>());
        Assert.Equal(events, await stack.EventCount());
    }

    [Fact]
    public async Task Access_changes_answer_as_nova_does()
    {
        var admin = stack.Client("admin:admin");
        var flavor = await PrivateFlavor(admin);
        Assert.Equal(HttpStatusCode.OK, (await Access(admin, flavor, "addTenantAccess", "p1")).Status);

        var (again, conflict) = await Access(admin, flavor, "addTenantAccess", "p1");
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal($"Flavor access already exists for flavor {flavor} and project p1 combination.",
            conflict!["conflictingRequest"]!["message"]!.GetValue<string>());
        var (absent, notFound) = await Access(admin, flavor, "removeTenantAccess", "p2");
        Assert.Equal(HttpStatusCode.NotFound, absent);
        Assert.Equal($"Flavor access not found for {flavor} / p2 combination.", notFound!["itemNotFound"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Access(admin, Unique("missing"), "addTenantAccess", "p1")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Send(HttpMethod.Post, $"/v2.1/flavors/{flavor}/action", new { addTenantAccess = new { project = "p1" } })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Send(HttpMethod.Post, $"/v2.1/flavors/{flavor}/action", new { addTenantAccess = new { tenant = "" } })).Status);

        var member = stack.Client("pia:flavors");
        Assert.Equal(HttpStatusCode.Forbidden, (await Access(member, flavor, "addTenantAccess", "flavors")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Access(member, flavor, "removeTenantAccess", "p1")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Get($"/v2.1/flavors/{flavor}/os-flavor-access")).Status);

        // A public flavor has no access list; from 2.7 it takes no entries either.
        var (listed, publicError) = await admin.Get("/v2.1/flavors/1/os-flavor-access");
        Assert.Equal(HttpStatusCode.NotFound, listed);
        Assert.Equal("Access list not available for public flavors.", publicError!["itemNotFound"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await Access(stack.Client("admin:admin", "2.7"), "1", "addTenantAccess", "p1")).Status);
        Assert.Equal("""{"flavor_access":[{"flavor_id":"PLACEHOLDER","tenant_id":"p1"}]}""".Replace("PLACEHOLDER", flavor),
            (await admin.Get($"/v2.1/flavors/{flavor}/os-flavor-access")).Body!.ToJsonString());
    }

    [Fact]
    public async Task The_admins_is_public_filter_picks_public_private_or_all_and_a_members_is_ignored()
    {
        var admin = stack.Client("admin:admin");
        var member = stack.Client("pia:flavors");
        var flavor = await PrivateFlavor(admin);

        Assert.DoesNotContain(flavor, await Listed(admin));
        Assert.Contains("1", await Listed(admin));
        foreach (var word in new[] { "f", "false", "no", "0" })
        {
            var privateOnes = await Listed(admin, "?is_public=" + word);
            Assert.Contains(flavor, privateOnes);
            Assert.DoesNotContain("1", privateOnes);
        }
        foreach (var word in new[] { "t", "true", "yes", "1" }) Assert.DoesNotContain(flavor, await Listed(admin, "?is_public=" + word));
        var all = await Listed(admin, "?is_public=None");
        Assert.Contains(flavor, all);
        Assert.Contains("1", all);
        var (bad, error) = await admin.Get("/v2.1/flavors?is_public=perhaps");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("Invalid is_public filter [perhaps]", error!["badRequest"]!["message"]!.GetValue<string>());

        Assert.DoesNotContain(flavor, await Listed(member, "?is_public=false"));
        Assert.DoesNotContain(flavor, await Listed(member, "?is_public=none"));
        Assert.Equal(HttpStatusCode.OK, (await member.Get("/v2.1/flavors?is_public=perhaps")).Status);
    }
}
