using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Servers;

/// <summary>PUT /servers/{id}, /servers/{id}/metadata and /servers/{id}/tags as Nova answers them, and the tag list filters.</summary>
[Collection(StackCollection.Name)]
public sealed class ServerMetadataAndTagTests(ControlPlaneStack stack)
{
    private HttpClient Project(string microversion = "2.53") => stack.Client($"mia:meta-{Guid.NewGuid().ToString("N")[..8]}", microversion);

    private static async Task<string> Active(HttpClient client, string name = "meta")
    {
        var id = await client.CreateServer(name);
        await client.WaitForStatus(id, "ACTIVE");
        return id;
    }

    private static string Message(JsonNode? body) => body!.AsObject().First().Value!["message"]!.GetValue<string>();

    [Fact]
    public async Task Put_server_renames_describes_and_sets_access_addresses()
    {
        using var client = Project();
        var id = await Active(client);
        var (status, body) = await client.Send(HttpMethod.Put, $"/v2.1/servers/{id}", new
        {
            server = new { name = "renamed", description = "front end", accessIPv4 = "192.0.2.10", accessIPv6 = "2001:db8::1" },
        });
        Assert.Equal(HttpStatusCode.OK, status);
        var shown = body!["server"]!;
        Assert.Equal(("renamed", "front end", "192.0.2.10", "2001:db8::1"),
            (shown["name"]!.GetValue<string>(), shown["description"]!.GetValue<string>(),
                shown["accessIPv4"]!.GetValue<string>(), shown["accessIPv6"]!.GetValue<string>()));
        Assert.Equal(id, shown["id"]!.GetValue<string>());
        var again = await client.Server(id);
        Assert.Equal("renamed", again["name"]!.GetValue<string>());
        Assert.Equal("front end", again["description"]!.GetValue<string>());

        // null removes the description
        (status, body) = await client.Send(HttpMethod.Put, $"/v2.1/servers/{id}", "{\"server\": {\"description\": null}}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(body!["server"]!["description"]);
        Assert.True(body["server"]!.AsObject().ContainsKey("description"));
        Assert.Contains(id, (await client.Get("/v2.1/servers?name=^renamed$")).Body!["servers"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("2.53", "{\"server\": {\"name\": \" padded\"}}")]
    [InlineData("2.53", "{\"server\": {\"name\": \"   \"}}")]
    [InlineData("2.53", "{\"server\": {\"name\": \"\"}}")]
    [InlineData("2.53", "{\"server\": {\"name\": null}}")]
    [InlineData("2.53", "{\"server\": {\"accessIPv4\": \"1\"}}")]
    [InlineData("2.53", "{\"server\": {\"accessIPv4\": \"2001:db8::1\"}}")]
    [InlineData("2.53", "{\"server\": {\"accessIPv6\": \"192.0.2.1\"}}")]
    [InlineData("2.53", "{\"server\": {\"flavorRef\": \"1\"}}")]
    [InlineData("2.53", "{\"server\": {\"OS-DCF:diskConfig\": \"FAST\"}}")]
    [InlineData("2.53", "{\"servers\": {}}")]
    [InlineData("2.18", "{\"server\": {\"description\": \"too early\"}}")]
    public async Task Put_server_refuses_bad_input_with_400(string microversion, string body)
    {
        using var client = Project(microversion);
        var id = await client.CreateServer("bad-update");
        var (status, error) = await client.Send(HttpMethod.Put, $"/v2.1/servers/{id}", body);
        Assert.True(status == HttpStatusCode.BadRequest, $"{body}: {status} {error?.ToJsonString()}");
        Assert.Equal("bad-update", (await client.Server(id))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_server_with_a_long_name_or_description_is_400_and_an_unknown_server_404()
    {
        using var client = Project();
        var id = await client.CreateServer("long");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Send(HttpMethod.Put, $"/v2.1/servers/{id}", new { server = new { name = new string('n', 256) } })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Send(HttpMethod.Put, $"/v2.1/servers/{id}", new { server = new { description = new string('d', 256) } })).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.Send(HttpMethod.Put, $"/v2.1/servers/{id}", new { server = new { description = new string('d', 255) } })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Send(HttpMethod.Put, $"/v2.1/servers/{Guid.NewGuid()}", new { server = new { name = "x" } })).Status);
        // Another project's server is not found either.
        using var other = Project();
        Assert.Equal(HttpStatusCode.NotFound, (await other.Send(HttpMethod.Put, $"/v2.1/servers/{id}", new { server = new { name = "x" } })).Status);
    }

    [Fact]
    public async Task Metadata_is_listed_merged_replaced_set_shown_and_deleted()
    {
        using var client = Project();
        var (created, body) = await client.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name = "meta", flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, networks = "none", metadata = new { role = "web" } },
        });
        Assert.Equal(HttpStatusCode.Accepted, created);
        var id = body!["server"]!["id"]!.GetValue<string>();
        await client.WaitForStatus(id, "ACTIVE");
        var path = $"/v2.1/servers/{id}/metadata";

        Assert.Equal("{\"role\":\"web\"}", (await client.Get(path)).Body!["metadata"]!.ToJsonString());
        var (status, merged) = await client.Send(HttpMethod.Post, path, new { metadata = new Dictionary<string, string> { ["tier"] = "1", ["role"] = "db" } });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new Dictionary<string, string> { ["role"] = "db", ["tier"] = "1" }, Items(merged!["metadata"]));

        var (putStatus, one) = await client.Send(HttpMethod.Put, $"{path}/zone", new { meta = new { zone = "b" } });
        Assert.Equal(HttpStatusCode.OK, putStatus);
        Assert.Equal("{\"meta\":{\"zone\":\"b\"}}", one!.ToJsonString());
        var (shown, item) = await client.Get($"{path}/zone");
        Assert.Equal(HttpStatusCode.OK, shown);
        Assert.Equal("{\"meta\":{\"zone\":\"b\"}}", item!.ToJsonString());
        Assert.Equal(3, Items((await client.Server(id))["metadata"]).Count);

        var (replaced, all) = await client.Send(HttpMethod.Put, path, new { metadata = new Dictionary<string, string> { ["only"] = "this" } });
        Assert.Equal(HttpStatusCode.OK, replaced);
        Assert.Equal(new Dictionary<string, string> { ["only"] = "this" }, Items(all!["metadata"]));
        Assert.Equal(new Dictionary<string, string> { ["only"] = "this" }, Items((await client.Get(path)).Body!["metadata"]));

        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"{path}/only")).Status);
        var (missing, error) = await client.Send(HttpMethod.Delete, $"{path}/only");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("Metadata item was not found", Message(error));
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"{path}/only")).Status);
        Assert.Empty(Items((await client.Get(path)).Body!["metadata"]));
    }

    [Fact]
    public async Task Bad_metadata_is_400_and_unknown_servers_404()
    {
        using var client = Project();
        var id = await Active(client);
        var path = $"/v2.1/servers/{id}/metadata";
        (HttpMethod, string, string)[] bad =
        [
            (HttpMethod.Put, $"{path}/a", "{\"meta\": {\"b\": \"1\"}}"),
            (HttpMethod.Put, $"{path}/a", "{\"meta\": {\"a\": \"1\", \"b\": \"2\"}}"),
            (HttpMethod.Put, $"{path}/a", "{\"meta\": {}}"),
            (HttpMethod.Put, $"{path}/a", "{\"metadata\": {\"a\": \"1\"}}"),
            (HttpMethod.Post, path, "{\"metadata\": {\"a/b\": \"1\"}}"),
            (HttpMethod.Post, path, "{\"metadata\": {\"\": \"1\"}}"),
            (HttpMethod.Post, path, $"{{\"metadata\": {{\"{new string('k', 256)}\": \"1\"}}}}"),
            (HttpMethod.Post, path, $"{{\"metadata\": {{\"a\": \"{new string('v', 256)}\"}}}}"),
            (HttpMethod.Post, path, "{\"metadata\": {\"a\": 1}}"),
            (HttpMethod.Post, path, "{\"metadata\": {\"a\": null}}"),
            (HttpMethod.Post, path, "{\"metadata\": []}"),
            (HttpMethod.Post, path, "{\"meta\": {\"a\": \"1\"}}"),
            (HttpMethod.Put, path, "{}"),
        ];
        foreach (var (method, to, body) in bad)
        {
            var (status, error) = await client.Send(method, to, body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{method} {to} {body}: {status} {error?.ToJsonString()}");
        }
        Assert.Equal("Request body and URI mismatch", Message((await client.Send(HttpMethod.Put, $"{path}/a", "{\"meta\": {\"b\": \"1\"}}")).Body));
        // 255-character keys and values, and Nova's other key characters, are fine.
        Assert.Equal(HttpStatusCode.OK, (await client.Send(HttpMethod.Post, path,
            new Dictionary<string, object> { ["metadata"] = new Dictionary<string, string> { [new string('k', 255)] = new string('v', 255), ["a-b_c:d. e"] = "" } })).Status);
        Assert.Equal(2, Items((await client.Get(path)).Body!["metadata"]).Count);

        var nobody = $"/v2.1/servers/{Guid.NewGuid()}/metadata";
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get(nobody)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Send(HttpMethod.Post, nobody, new { metadata = new { a = "1" } })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Send(HttpMethod.Delete, $"{nobody}/a")).Status);
    }

    [Fact]
    public async Task The_metadata_items_quota_refuses_more_with_403()
    {
        var project = $"quota-meta-{Guid.NewGuid().ToString("N")[..8]}";
        using var client = stack.Client($"mia:{project}", "2.53");
        var (set, _) = await stack.Client("admin:admin").Send(HttpMethod.Put, $"/v2.1/os-quota-sets/{project}", new { quota_set = new { metadata_items = 2 } });
        Assert.Equal(HttpStatusCode.OK, set);
        var id = await Active(client);
        var path = $"/v2.1/servers/{id}/metadata";
        Assert.Equal(HttpStatusCode.OK, (await client.Send(HttpMethod.Post, path, new { metadata = new { a = "1", b = "2" } })).Status);
        var (status, error) = await client.Send(HttpMethod.Post, path, new { metadata = new { c = "3" } });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Maximum number of metadata items exceeds 2", Message(error));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.Send(HttpMethod.Put, $"{path}/c", new { meta = new { c = "3" } })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.Send(HttpMethod.Put, path, new { metadata = new { x = "1", y = "2", z = "3" } })).Status);
        // Changing a value or replacing within the limit is fine.
        Assert.Equal(HttpStatusCode.OK, (await client.Send(HttpMethod.Put, $"{path}/a", new { meta = new { a = "9" } })).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.Send(HttpMethod.Put, path, new { metadata = new { x = "1", y = "2" } })).Status);
        Assert.Equal(new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" }, Items((await client.Get(path)).Body!["metadata"]));
    }

    [Fact]
    public async Task A_locked_server_refuses_metadata_changes_with_409_but_takes_tags()
    {
        using var client = Project();
        var id = await Active(client);
        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, new { @lock = new { } }));
        var (status, error) = await client.Send(HttpMethod.Post, $"/v2.1/servers/{id}/metadata", new { metadata = new { a = "1" } });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal($"Instance {id} is locked", Message(error));
        Assert.Equal(HttpStatusCode.Created, (await client.Send(HttpMethod.Put, $"/v2.1/servers/{id}/tags/locked")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.Send(HttpMethod.Put, $"/v2.1/servers/{id}", new { server = new { name = "still" } })).Status);
    }

    [Fact]
    public async Task A_server_in_error_refuses_metadata_and_tag_changes_with_409()
    {
        using var client = Project();
        var id = await Active(client);
        Assert.Equal(HttpStatusCode.Accepted, await stack.Client("admin:admin").Act(id, new JsonObject { ["os-resetState"] = new JsonObject { ["state"] = "error" } }));
        var (status, error) = await client.Send(HttpMethod.Post, $"/v2.1/servers/{id}/metadata", new { metadata = new { a = "1" } });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal($"Cannot 'update metadata' instance {id} while it is in vm_state error", Message(error));
        (status, error) = await client.Send(HttpMethod.Put, $"/v2.1/servers/{id}/tags/a");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal($"Cannot 'update tag' instance {id} while it is in vm_state error", Message(error));
        Assert.Equal(HttpStatusCode.Conflict, (await client.Send(HttpMethod.Put, $"/v2.1/servers/{id}/tags", new { tags = new[] { "a" } })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await client.Send(HttpMethod.Delete, $"/v2.1/servers/{id}/tags")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await client.Send(HttpMethod.Delete, $"/v2.1/servers/{id}/tags/a")).Status);
        // Reading is fine in any state.
        Assert.Equal(HttpStatusCode.OK, (await client.Get($"/v2.1/servers/{id}/metadata")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.Get($"/v2.1/servers/{id}/tags")).Status);
    }

    [Fact]
    public async Task Tags_are_replaced_added_checked_removed_and_shown_in_the_server()
    {
        using var client = Project();
        var id = await Active(client);
        var path = $"/v2.1/servers/{id}/tags";

        var (status, body) = await client.Send(HttpMethod.Put, path, new { tags = new[] { "web", "blue", "web" } });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["web", "blue"], Tags(body));
        using (var response = await client.PutAsync($"{path}/green", null))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.EndsWith($"/v2.1/servers/{id}/tags/green", response.Headers.Location!.ToString());
        }
        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Put, $"{path}/green")).Status);
        Assert.Equal(["web", "blue", "green"], Tags((await client.Get(path)).Body));
        Assert.Equal(["web", "blue", "green"], (await client.Server(id))["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToList());
        Assert.Equal(HttpStatusCode.NoContent, (await client.Get($"{path}/blue")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"{path}/red")).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"{path}/blue")).Status);
        var (missing, error) = await client.Send(HttpMethod.Delete, $"{path}/blue");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal($"Instance {id} has no tag 'blue'", Message(error));
        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, path)).Status);
        Assert.Empty(Tags((await client.Get(path)).Body));

        // Before 2.26 there are no tags.
        using var old = stack.Client(client.DefaultRequestHeaders.GetValues("X-Auth-Token").Single(), "2.25");
        Assert.Equal(HttpStatusCode.NotFound, (await old.Get(path)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await old.Send(HttpMethod.Put, $"{path}/x")).Status);
        Assert.Null((await old.Server(id))["tags"]);
    }

    [Fact]
    public async Task Fifty_tags_is_the_limit_and_bad_tags_are_400()
    {
        using var client = Project();
        var id = await Active(client);
        var path = $"/v2.1/servers/{id}/tags";
        var fifty = Enumerable.Range(1, 50).Select(i => $"t{i}").ToArray();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Send(HttpMethod.Put, path, new { tags = fifty.Append("t51") })).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.Send(HttpMethod.Put, path, new { tags = fifty })).Status);
        var (status, error) = await client.Send(HttpMethod.Put, $"{path}/t51");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The number of tags exceeded the per-server limit 50", Message(error));

        string[] bodies = ["{\"tags\": [\"a,b\"]}", "{\"tags\": [\"a/b\"]}", "{\"tags\": [\"\"]}", $"{{\"tags\": [\"{new string('t', 61)}\"]}}",
            "{\"tags\": [1]}", "{\"tags\": \"a\"}", "{}", "{\"tags\": [], \"more\": 1}"];
        foreach (var body in bodies)
            Assert.True((await client.Send(HttpMethod.Put, path, body)).Status == HttpStatusCode.BadRequest, body);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Send(HttpMethod.Put, $"{path}/a,b")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Send(HttpMethod.Put, $"{path}/{new string('t', 61)}")).Status);
        Assert.Equal(50, Tags((await client.Get(path)).Body).Count);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Get($"/v2.1/servers/{Guid.NewGuid()}/tags")).Status);
    }

    [Fact]
    public async Task Servers_are_created_with_tags_at_2_52_and_listed_by_the_tag_filters()
    {
        using var client = Project();
        async Task<string> Boot(string name, params string[] tags)
        {
            var (status, body) = await client.Send(HttpMethod.Post, "/v2.1/servers", new
            {
                server = new { name, flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, networks = "none", tags },
            });
            Assert.True(status == HttpStatusCode.Accepted, $"{status} {body?.ToJsonString()}");
            return body!["server"]!["id"]!.GetValue<string>();
        }
        var ab = await Boot("ab", "a", "b");
        var a = await Boot("a", "a");
        var c = await Boot("c", "c");
        Assert.Equal(["a", "b"], (await client.Server(ab))["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToList());

        async Task<List<string>> Listed(string query, HttpClient? by = null)
        {
            var (status, body) = await (by ?? client).Get($"/v2.1/servers/detail?{query}");
            Assert.True(status == HttpStatusCode.OK, $"{query}: {status} {body?.ToJsonString()}");
            return [.. body!["servers"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).Order()];
        }
        List<string> Of(params string[] ids) => [.. ids.Order()];
        Assert.Equal(Of(ab), await Listed("tags=a,b"));
        Assert.Equal(Of(ab, a), await Listed("tags=a"));
        Assert.Equal(Of(ab, c), await Listed("tags-any=b,c"));
        Assert.Equal(Of(a, c), await Listed("not-tags=a,b"));
        Assert.Equal(Of(c), await Listed("not-tags-any=a"));
        Assert.Equal(Of(a), await Listed("tags=a&not-tags=b"));
        Assert.Equal(Of(), await Listed("tags=z"));
        Assert.Equal(3, (await client.Get("/v2.1/servers?tags-any=a,c")).Body!["servers"]!.AsArray().Count);
        // Before 2.26 the filters are not Nova's: ignored.
        using var old = stack.Client(client.DefaultRequestHeaders.GetValues("X-Auth-Token").Single(), "2.25");
        Assert.Equal(Of(ab, a, c), await Listed("tags=z", old));

        // Tags at create are checked as PUT /tags checks them; before 2.52 they are not taken.
        var (bad, _) = await client.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name = "bad", flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, networks = "none", tags = new[] { "a/b" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        using var v251 = stack.Client(client.DefaultRequestHeaders.GetValues("X-Auth-Token").Single(), "2.51");
        // Before 2.52 Nova's create schema has no tags: refused, not dropped.
        var (early, _) = await v251.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name = "early", flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, networks = "none", tags = new[] { "x" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, early);
    }

    private static Dictionary<string, string> Items(JsonNode? node) =>
        node!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());

    private static List<string> Tags(JsonNode? body) => [.. body!["tags"]!.AsArray().Select(t => t!.GetValue<string>())];
}
