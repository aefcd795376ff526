namespace Nova.Commands.Policy;

/// <summary>What a check is evaluated against: the caller's credentials, the target's attributes, and the rules for <c>rule:</c>.</summary>
public sealed record PolicyContext(
    IReadOnlyDictionary<string, string> Credentials, IReadOnlySet<string> Roles,
    IReadOnlyDictionary<string, string> Target, Func<string, PolicyCheck?> Rule)
{
    /// <summary>Depth of <c>rule:</c> references followed; a cycle in an operator's file must not overflow the stack.</summary>
    public int Depth { get; init; }
}

/// <summary>One parsed oslo.policy check string.</summary>
public abstract record PolicyCheck
{
    public abstract bool Allows(PolicyContext context);
}

/// <summary><c>@</c> (and the empty string): always.</summary>
public sealed record AlwaysCheck : PolicyCheck
{
    public override bool Allows(PolicyContext context) => true;
    public override string ToString() => "@";
}

/// <summary><c>!</c>: never.</summary>
public sealed record NeverCheck : PolicyCheck
{
    public override bool Allows(PolicyContext context) => false;
    public override string ToString() => "!";
}

/// <summary><c>rule:NAME</c>: another rule (false when no rule has that name).</summary>
public sealed record RuleCheck(string Name) : PolicyCheck
{
    public const int MaxDepth = 32;

    public override bool Allows(PolicyContext context) =>
        context.Depth < MaxDepth && context.Rule(Name) is { } rule && rule.Allows(context with { Depth = context.Depth + 1 });
    public override string ToString() => $"rule:{Name}";
}

/// <summary><c>role:NAME</c>: the caller holds the role (case-insensitive; the name may be <c>%(target)s</c>).</summary>
public sealed record RoleCheck(string Match) : PolicyCheck
{
    public override bool Allows(PolicyContext context) =>
        GenericCheck.Substitute(Match, context.Target) is { Length: > 0 } role && context.Roles.Contains(role.ToLowerInvariant());
    public override string ToString() => $"role:{Match}";
}

/// <summary>
/// <c>KEY:VALUE</c>: the caller's credential KEY (<c>project_id</c>, <c>user_id</c>, <c>is_admin</c>, …) equals VALUE, which
/// may name the target's attribute as <c>%(project_id)s</c>; a quoted KEY is a literal compared with VALUE. An unknown
/// credential, an empty one, or a target attribute that is not there never matches.
/// </summary>
public sealed record GenericCheck(string Kind, string Match) : PolicyCheck
{
    public override bool Allows(PolicyContext context)
    {
        if (Substitute(Match, context.Target) is not { } expected) return false;
        if (Unquote(Kind) is { } literal) return literal == expected;
        return context.Credentials.TryGetValue(Kind, out var actual) && actual.Length > 0 && actual == expected;
    }

    public override string ToString() => $"{Kind}:{Match}";

    /// <summary>Replaces each <c>%(name)s</c> by the target's attribute; null when the target lacks one.</summary>
    public static string? Substitute(string match, IReadOnlyDictionary<string, string> target)
    {
        var value = Unquote(match) ?? match;
        var result = new System.Text.StringBuilder();
        var i = 0;
        while (i < value.Length)
        {
            var open = value.IndexOf("%(", i, StringComparison.Ordinal);
            if (open < 0) { result.Append(value, i, value.Length - i); break; }
            var close = value.IndexOf(")s", open, StringComparison.Ordinal);
            if (close < 0) { result.Append(value, i, value.Length - i); break; }
            result.Append(value, i, open - i);
            if (!target.TryGetValue(value[(open + 2)..close], out var attribute)) return null;
            result.Append(attribute);
            i = close + 2;
        }
        return result.ToString();
    }

    private static string? Unquote(string text) =>
        text.Length >= 2 && (text[0] == '\'' || text[0] == '"') && text[^1] == text[0] ? text[1..^1] : null;
}

public sealed record NotCheck(PolicyCheck Inner) : PolicyCheck
{
    public override bool Allows(PolicyContext context) => !Inner.Allows(context);
    public override string ToString() => $"not {Inner}";
}

public sealed record AndCheck(IReadOnlyList<PolicyCheck> Checks) : PolicyCheck
{
    public override bool Allows(PolicyContext context) => Checks.All(c => c.Allows(context));
    public override string ToString() => "(" + string.Join(" and ", Checks) + ")";
}

public sealed record OrCheck(IReadOnlyList<PolicyCheck> Checks) : PolicyCheck
{
    public override bool Allows(PolicyContext context) => Checks.Any(c => c.Allows(context));
    public override string ToString() => "(" + string.Join(" or ", Checks) + ")";
}
