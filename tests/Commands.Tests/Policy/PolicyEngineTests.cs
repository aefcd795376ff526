using Nova.Commands.Policy;
using Nova.Commands.Requests;

namespace Nova.Commands.Tests.Policy;

/// <summary>oslo.policy's check strings, one form at a time, and policy.yaml laid over Nova's defaults.</summary>
public sealed class PolicyEngineTests
{
    private static readonly PolicyCredentials Member = PolicyCredentials.Of("alice", "p1", "default", ["member", "reader"]);
    private static readonly PolicyCredentials Reader = PolicyCredentials.Of("rita", "p1", "default", ["reader"]);
    private static readonly PolicyCredentials Admin = PolicyCredentials.Of("admin", "ops", "default", ["admin", "member", "reader"]);

    private static bool Check(string checkString, PolicyCredentials who, string project = "p1", string user = "alice") =>
        new PolicyRules(new Dictionary<string, string> { ["test:rule"] = checkString })
            .Allows("test:rule", who, new Dictionary<string, string> { ["project_id"] = project, ["user_id"] = user });

    [Fact]
    public void Always_and_never_and_the_empty_string()
    {
        Assert.True(Check("@", Reader));
        Assert.False(Check("!", Admin));
        Assert.True(Check("", Reader));
    }

    [Fact]
    public void Role_checks_are_case_insensitive()
    {
        Assert.True(Check("role:member", Member));
        Assert.True(Check("role:Member", Member));
        Assert.False(Check("role:member", Reader));
    }

    [Fact]
    public void Project_and_user_come_from_the_target()
    {
        Assert.True(Check("project_id:%(project_id)s", Member));
        Assert.False(Check("project_id:%(project_id)s", Member, project: "p2"));
        Assert.True(Check("user_id:%(user_id)s", Member));
        Assert.False(Check("user_id:%(user_id)s", Member, user: "bob"));
        Assert.False(Check("project_id:%(missing)s", Member));
        Assert.True(Check("project_id:p1", Member));
    }

    [Fact]
    public void Is_admin_is_a_credential()
    {
        Assert.True(Check("is_admin:True", Admin));
        Assert.False(Check("is_admin:True", Member));
        Assert.True(Check("is_admin:False", Member));
    }

    [Fact]
    public void A_quoted_left_side_is_a_literal()
    {
        Assert.True(Check("'p1':%(project_id)s", Reader));
        Assert.False(Check("'p1':%(project_id)s", Reader, project: "p2"));
    }

    [Fact]
    public void And_binds_tighter_than_or_and_not_tighter_than_and()
    {
        // role:admin or (role:member and project_id:…)
        Assert.True(Check("role:admin or role:member and project_id:%(project_id)s", Admin, project: "elsewhere"));
        Assert.False(Check("role:admin or role:member and project_id:%(project_id)s", Member, project: "elsewhere"));
        Assert.True(Check("not role:admin and role:reader", Reader));
        Assert.False(Check("not role:admin and role:reader", Admin));
        Assert.False(Check("not (role:reader or role:admin)", Reader));
    }

    [Fact]
    public void Parentheses_group()
    {
        Assert.False(Check("(role:admin or role:member) and project_id:%(project_id)s", Admin, project: "elsewhere"));
        Assert.True(Check("((role:admin)) or (role:member and (project_id:%(project_id)s))", Member));
    }

    [Fact]
    public void Rule_references_follow_overrides_and_aliases()
    {
        var rules = new PolicyRules(new Dictionary<string, string>
        {
            ["ops_team"] = "role:operator",
            ["os_compute_api:os-services:list"] = "rule:ops_team or rule:context_is_admin",
        });
        var target = new Dictionary<string, string> { ["project_id"] = "ops", ["user_id"] = "u" };
        Assert.True(rules.Allows("os_compute_api:os-services:list", PolicyCredentials.Of("u", "ops", "default", ["operator"]), target));
        Assert.True(rules.Allows("os_compute_api:os-services:list", Admin, target));
        Assert.False(rules.Allows("os_compute_api:os-services:list", Member, target));
        Assert.False(Check("rule:no_such_rule", Admin));
    }

    [Fact]
    public void A_rule_that_refers_to_itself_is_refused_not_a_stack_overflow()
    {
        var rules = new PolicyRules(new Dictionary<string, string> { ["loop"] = "rule:loop", ["test:rule"] = "rule:loop" });
        Assert.False(rules.Allows("test:rule", Admin, new Dictionary<string, string>()));
    }

    [Fact]
    public void Overriding_a_base_alias_changes_every_rule_built_on_it()
    {
        var rules = new PolicyRules(new Dictionary<string, string> { ["project_member_api"] = "role:creator and project_id:%(project_id)s" });
        var target = new Dictionary<string, string> { ["project_id"] = "p1", ["user_id"] = "alice" };
        Assert.False(rules.Allows("os_compute_api:servers:create", Member, target));
        Assert.True(rules.Allows("os_compute_api:servers:create", PolicyCredentials.Of("c", "p1", "default", ["creator"]), target));
    }

    [Theory]
    [InlineData("role:admin or")]
    [InlineData("(role:admin")]
    [InlineData("role:admin)")]
    [InlineData("admin")]
    [InlineData("role:")]
    [InlineData("and role:admin")]
    public void Malformed_check_strings_are_rejected_with_the_rule_named(string checkString)
    {
        var error = Assert.Throws<PolicySyntaxError>(() => new PolicyRules(new Dictionary<string, string> { ["os_compute_api:servers:index"] = checkString }));
        Assert.Contains("os_compute_api:servers:index", error.Message);
    }

    [Fact]
    public void Nova_defaults_keep_todays_decisions()
    {
        var rules = PolicyRules.Defaults;
        var own = new Dictionary<string, string> { ["project_id"] = "p1", ["user_id"] = "alice" };
        var other = new Dictionary<string, string> { ["project_id"] = "p2", ["user_id"] = "alice" };
        Assert.True(rules.Allows("os_compute_api:servers:create", Member, own));
        Assert.False(rules.Allows("os_compute_api:servers:create", Member, other));
        Assert.False(rules.Allows("os_compute_api:servers:create", Reader, own));
        Assert.True(rules.Allows("os_compute_api:servers:show", Reader, own));
        Assert.True(rules.Allows("os_compute_api:servers:show", Admin, other));
        Assert.False(rules.Allows("os_compute_api:os-flavor-manage:create", Member, own));
        Assert.True(rules.Allows("os_compute_api:os-flavor-manage:create", Admin, own));
        Assert.True(rules.Allows("os_compute_api:flavors", Reader, other));
        Assert.Throws<InvalidOperationException>(() => rules.Allows("os_compute_api:no-such-rule", Admin, own));
    }

    [Fact]
    public void A_caller_without_a_project_is_not_the_owner_of_an_empty_project()
    {
        var nobody = PolicyCredentials.Of("u", "", "default", ["member", "reader"]);
        Assert.False(PolicyRules.Defaults.Allows("os_compute_api:servers:index", nobody, new Dictionary<string, string> { ["project_id"] = "", ["user_id"] = "u" }));
    }

    [Fact]
    public void The_caller_extension_uses_the_callers_rules()
    {
        var caller = new Caller { UserId = "alice", ProjectId = "p1", Roles = new HashSet<string> { "member", "reader" } };
        Assert.True(caller.Allows("os_compute_api:servers:create"));
        Assert.False(caller.Allows("os_compute_api:servers:create", "p2"));
        var forbidden = Assert.Throws<Forbidden>(() => caller.Authorize("os_compute_api:os-flavor-manage:create"));
        Assert.Equal("Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.", forbidden.Message);
    }
}
