using Nova.Commands.Requests;

namespace Nova.Commands.Policy;

/// <summary>One effective rule: its check string, parsed, and whether it is Nova's default or the policy file's.</summary>
public sealed record PolicyRule(string Name, string CheckString, PolicyCheck Check, bool IsDefault, bool Overridden);

/// <summary>
/// The rules in force: Nova's defaults (<see cref="NovaPolicy.Defaults"/>, in code) with the policy file's entries laid
/// over them rule by rule. A file's rule that is not a default is an alias other rules may use through <c>rule:</c>.
/// </summary>
public sealed class PolicyRules
{
    private readonly Dictionary<string, PolicyRule> rules;

    public static PolicyRules Defaults { get; } = new(new Dictionary<string, string>());

    /// <summary>Throws <see cref="PolicySyntaxError"/> naming the rule whose check string does not parse.</summary>
    public PolicyRules(IReadOnlyDictionary<string, string> overrides)
    {
        rules = new Dictionary<string, PolicyRule>(StringComparer.Ordinal);
        foreach (var (name, check) in NovaPolicy.Defaults)
            rules[name] = new PolicyRule(name, check, PolicyParser.Parse(check), IsDefault: true, Overridden: false);
        foreach (var (name, check) in overrides)
        {
            PolicyCheck parsed;
            try { parsed = PolicyParser.Parse(check); }
            catch (PolicySyntaxError e) { throw new PolicySyntaxError($"rule \"{name}\": {e.Message}"); }
            rules[name] = new PolicyRule(name, check, parsed, IsDefault: NovaPolicy.Defaults.ContainsKey(name), Overridden: true);
        }
    }

    public IEnumerable<PolicyRule> All => rules.Values.OrderBy(r => r.Name, StringComparer.Ordinal);

    public PolicyRule? Find(string name) => rules.GetValueOrDefault(name);

    /// <summary>
    /// Whether <paramref name="rule"/> lets the credentials through for the target. A rule name the code does not
    /// know is a programming error, never a silent refusal.
    /// </summary>
    public bool Allows(string rule, PolicyCredentials credentials, IReadOnlyDictionary<string, string> target)
    {
        if (!rules.TryGetValue(rule, out var found)) throw new InvalidOperationException($"No policy rule named {rule}");
        return found.Check.Allows(new PolicyContext(credentials.Values, credentials.Roles, target, name => rules.GetValueOrDefault(name)?.Check));
    }
}

/// <summary>What a check can test about the caller: Keystone's token attributes, as oslo.context gives them to oslo.policy.</summary>
public sealed record PolicyCredentials(IReadOnlyDictionary<string, string> Values, IReadOnlySet<string> Roles)
{
    public static PolicyCredentials Of(string userId, string projectId, string domainId, IEnumerable<string> roles)
    {
        var lowered = roles.Select(r => r.ToLowerInvariant()).ToHashSet();
        return new PolicyCredentials(new Dictionary<string, string>
        {
            ["user_id"] = userId,
            ["project_id"] = projectId,
            ["project_domain_id"] = domainId,
            ["is_admin"] = lowered.Contains(Caller.AdminRole) ? "True" : "False",
        }, lowered);
    }
}
