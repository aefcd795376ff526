using Nova.Commands.Policy;

namespace Nova.Commands.Tests.Policy;

/// <summary>policy.yaml: oslo.policy's YAML read from disk, re-read when it changes, a bad edit never loosening anything.</summary>
public sealed class PolicyFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("nova-policy-").FullName;
    private string PathOf(string name) => Path.Combine(folder, name);
    private static readonly PolicyCredentials Member = PolicyCredentials.Of("alice", "p1", "default", ["member", "reader"]);
    private static readonly Dictionary<string, string> Own = new() { ["project_id"] = "p1", ["user_id"] = "alice" };

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Reads_quoted_and_plain_yaml_with_comments_and_overrides_rule_by_rule()
    {
        File.WriteAllText(PathOf("policy.yaml"), """
            # Only admins list servers here.
            "os_compute_api:servers:index": "role:admin"
            os_compute_api:os-flavor-manage:create: 'role:member and project_id:%(project_id)s'
            """);
        var rules = new PolicyFile(PathOf("policy.yaml")).Current;
        Assert.False(rules.Allows("os_compute_api:servers:index", Member, Own));
        Assert.True(rules.Allows("os_compute_api:os-flavor-manage:create", Member, Own));
        Assert.True(rules.Allows("os_compute_api:servers:detail", Member, Own));
        Assert.True(rules.Find("os_compute_api:servers:index")!.Overridden);
        Assert.False(rules.Find("os_compute_api:servers:detail")!.Overridden);
    }

    [Fact]
    public void A_json_policy_file_is_yaml_too()
    {
        File.WriteAllText(PathOf("policy.json"), """{"os_compute_api:servers:index": "!"}""");
        Assert.False(new PolicyFile(PathOf("policy.json")).Current.Allows("os_compute_api:servers:index", Member, Own));
    }

    [Fact]
    public void A_change_to_the_file_is_seen_on_the_next_decision()
    {
        var path = PathOf("policy.yaml");
        File.WriteAllText(path, "\"os_compute_api:servers:index\": \"!\"\n");
        var file = new PolicyFile(path);
        Assert.False(file.Current.Allows("os_compute_api:servers:index", Member, Own));

        File.WriteAllText(path, "\"os_compute_api:servers:index\": \"@\"   # open again\n");
        Assert.True(file.Current.Allows("os_compute_api:servers:index", Member, Own));

        File.Delete(path);
        Assert.True(file.Current.Allows("os_compute_api:servers:index", Member, Own));
        Assert.False(file.Current.Find("os_compute_api:servers:index")!.Overridden);
    }

    [Fact]
    public void A_broken_edit_keeps_the_rules_read_before()
    {
        var path = PathOf("policy.yaml");
        File.WriteAllText(path, "\"os_compute_api:servers:index\": \"!\"\n");
        var file = new PolicyFile(path);
        File.WriteAllText(path, "\"os_compute_api:servers:index\": \"role:admin or\"\n\"os_compute_api:servers:show\": \"@\"\n");
        Assert.False(file.Current.Allows("os_compute_api:servers:index", Member, Own));
        Assert.False(file.Current.Find("os_compute_api:servers:show")!.Overridden);
    }

    [Theory]
    [InlineData("\"os_compute_api:servers:index\": \"role:admin or\"\n")]
    [InlineData("\"os_compute_api:servers:index\":\n")]
    [InlineData("\"os_compute_api:servers:index\": [\"role:admin\"]\n")]
    [InlineData("- role:admin\n")]
    public void A_file_that_does_not_parse_refuses_to_load(string yaml)
    {
        File.WriteAllText(PathOf("policy.yaml"), yaml);
        var error = Assert.Throws<PolicySyntaxError>(() => new PolicyFile(PathOf("policy.yaml")));
        Assert.Contains("policy.yaml", error.Message);
    }

    [Fact]
    public void No_file_configured_or_none_there_is_novas_defaults()
    {
        Assert.Null(new PolicyFile(null).Path);
        Assert.True(new PolicyFile(null).Current.Allows("os_compute_api:servers:index", Member, Own));
        Assert.True(new PolicyFile(PathOf("absent.yaml")).Current.Allows("os_compute_api:servers:index", Member, Own));
    }
}
