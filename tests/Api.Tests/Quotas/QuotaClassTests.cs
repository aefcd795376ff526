using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Quotas;

/// <summary>
/// os-quota-class-sets on a stack of its own: the default class is every project's default, which the other tests must not
/// see. Only the first test changes the default class (instances and key pairs), and no other test depends on those.
/// </summary>
public sealed class QuotaClassTests(QuotaClassTests.OwnStack own) : IClassFixture<QuotaClassTests.OwnStack>
{
    public sealed class OwnStack : IAsyncLifetime
    {
        public ControlPlaneStack Stack { get; } = ControlPlaneStack.With(new StackOptions());
        public Task InitializeAsync() => Stack.InitializeAsync();
        public Task DisposeAsync() => Stack.DisposeAsync();
    }

    private readonly ControlPlaneStack stack = own.Stack;

    private static IEnumerable<string> Keys(JsonNode? o) => o!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);

    [Fact]
    public async Task The_default_class_gives_projects_without_a_limit_of_their_own_their_defaults()
    {
        var admin = stack.Client("admin:admin");
        var (status, updated) = await admin.Send(HttpMethod.Put, "/v2.1/os-quota-class-sets/default",
            new { quota_class_set = new { instances = 1, key_pairs = "42" } });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(updated!["quota_class_set"]!["id"]);
        Assert.Equal((1, 42), (updated["quota_class_set"]!["instances"]!.GetValue<int>(), updated["quota_class_set"]!["key_pairs"]!.GetValue<int>()));

        var (_, shown) = await admin.Get("/v2.1/os-quota-class-sets/default");
        Assert.Equal("default", shown!["quota_class_set"]!["id"]!.GetValue<string>());
        Assert.Equal(1, shown["quota_class_set"]!["instances"]!.GetValue<int>());
        // A project without limits of its own: the class's, in its quota set, its defaults and its limits.
        var user = stack.Client("u:class-fresh");
        Assert.Equal(1, (await user.Get("/v2.1/os-quota-sets/class-fresh")).Body!["quota_set"]!["instances"]!.GetValue<int>());
        Assert.Equal(1, (await user.Get("/v2.1/os-quota-sets/class-fresh/defaults")).Body!["quota_set"]!["instances"]!.GetValue<int>());
        Assert.Equal(42, (await user.Get("/v2.1/limits")).Body!["limits"]!["absolute"]!["maxTotalKeypairs"]!.GetValue<int>());
        // …and it is enforced: the second server is over the class's limit.
        var first = await user.CreateServer("first");
        var (refused, body) = await user.Send(HttpMethod.Post, "/v2.1/servers",
            new { server = new { name = "second", flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage } });
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Contains("Quota exceeded for instances", body!["forbidden"]!["message"]!.GetValue<string>());
        // A project's own limit wins over the class.
        Assert.Equal(HttpStatusCode.OK, (await admin.Send(HttpMethod.Put, "/v2.1/os-quota-sets/class-own", new { quota_set = new { instances = 5 } })).Status);
        Assert.Equal(5, (await admin.Get("/v2.1/os-quota-sets/class-own")).Body!["quota_set"]!["instances"]!.GetValue<int>());
        Assert.Equal(42, (await admin.Get("/v2.1/os-quota-sets/class-own")).Body!["quota_set"]!["key_pairs"]!.GetValue<int>());
        await user.WaitForStatus(first, "ACTIVE");
    }

    [Fact]
    public async Task Another_class_is_kept_and_shown_but_used_by_no_project()
    {
        var admin = stack.Client("admin:admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.Send(HttpMethod.Put, "/v2.1/os-quota-class-sets/gold", new { quota_class_set = new { cores = 99 } })).Status);
        Assert.Equal(99, (await admin.Get("/v2.1/os-quota-class-sets/gold")).Body!["quota_class_set"]!["cores"]!.GetValue<int>());
        Assert.NotEqual(99, (await admin.Get("/v2.1/os-quota-sets/class-gold")).Body!["quota_set"]!["cores"]!.GetValue<int>());
        Assert.NotEqual(99, (await admin.Get("/v2.1/os-quota-class-sets/default")).Body!["quota_class_set"]!["cores"]!.GetValue<int>());
    }

    public static TheoryData<string, string[]> ClassKeys()
    {
        string[] core = ["cores", "instances", "key_pairs", "metadata_items", "ram"];
        string[] network = ["fixed_ips", "floating_ips", "security_group_rules", "security_groups"];
        string[] personality = ["injected_file_content_bytes", "injected_file_path_bytes", "injected_files"];
        string[] groups = ["server_group_members", "server_groups"];
        return new()
        {
            { "2.1", [.. core, .. network, .. personality] },
            { "2.49", [.. core, .. network, .. personality] },
            { "2.50", [.. core, .. personality, .. groups] },
            { "2.57", [.. core, .. groups] },
        };
    }

    [Theory]
    [MemberData(nameof(ClassKeys))]
    public async Task The_class_bodies_have_the_microversions_keys_and_refuse_others(string version, string[] keys)
    {
        var admin = stack.Client("admin:admin", version);
        var (_, shown) = await admin.Get("/v2.1/os-quota-class-sets/default");
        Assert.Equal(keys.Append("id").Order(StringComparer.Ordinal), Keys(shown!["quota_class_set"]));
        // Tempest's round trip: every value shown, as it is, back into a PUT.
        var values = shown["quota_class_set"]!.AsObject().Where(p => p.Key != "id").ToDictionary(p => p.Key, p => p.Value!.GetValue<int>());
        var (status, updated) = await admin.Send(HttpMethod.Put, "/v2.1/os-quota-class-sets/default", new { quota_class_set = values });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(keys.Order(StringComparer.Ordinal), Keys(updated!["quota_class_set"]));
        // Before 2.50 the server group limits can be set, though not shown; an unknown resource never.
        Assert.Equal(HttpStatusCode.OK,
            (await admin.Send(HttpMethod.Put, "/v2.1/os-quota-class-sets/default", new { quota_class_set = new { server_groups = 10 } })).Status);
        var dropped = version == "2.57" ? "injected_files" : version == "2.50" ? "floating_ips" : "bogus";
        Assert.Equal(HttpStatusCode.BadRequest,
            (await admin.Send(HttpMethod.Put, "/v2.1/os-quota-class-sets/default", new JsonObject { ["quota_class_set"] = new JsonObject { [dropped] = 1 } })).Status);
    }

    [Fact]
    public async Task Only_an_admin_reads_or_changes_a_quota_class()
    {
        var user = stack.Client("u:class-user");
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Get("/v2.1/os-quota-class-sets/default")).Status);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await user.Send(HttpMethod.Put, "/v2.1/os-quota-class-sets/default", new { quota_class_set = new { instances = 100 } })).Status);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await stack.Client("admin:admin").Send(HttpMethod.Put, "/v2.1/os-quota-class-sets/default", new { quota_class_set = new { instances = -2 } })).Status);
    }
}
