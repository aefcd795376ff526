namespace Nova.Commands.Policy;

/// <summary>A check string that is not oslo.policy's syntax; the message says where.</summary>
public sealed class PolicySyntaxError(string message) : Exception(message);

/// <summary>
/// oslo.policy's check-string syntax: <c>@</c>, <c>!</c>, <c>rule:NAME</c>, <c>role:NAME</c>, <c>KEY:VALUE</c> (with
/// <c>%(attribute)s</c> from the target), joined by <c>not</c>, <c>and</c>, <c>or</c> (binding in that order, tightest
/// first) and grouped by parentheses. The empty string allows everyone, as in oslo.policy.
/// </summary>
public static class PolicyParser
{
    public static PolicyCheck Parse(string text)
    {
        var tokens = Tokenize(text);
        if (tokens.Count == 0) return new AlwaysCheck();
        var position = 0;
        var check = ParseOr(tokens, ref position, text);
        if (position < tokens.Count) throw new PolicySyntaxError($"unexpected '{tokens[position]}' in \"{text}\"");
        return check;
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var start = 0;
            var end = word.Length;
            while (start < end && word[start] == '(') { tokens.Add("("); start++; }
            var closing = 0;
            while (end > start && word[end - 1] == ')') { closing++; end--; }
            if (end > start) tokens.Add(word[start..end]);
            for (var i = 0; i < closing; i++) tokens.Add(")");
        }
        return tokens;
    }

    private static PolicyCheck ParseOr(List<string> tokens, ref int position, string text)
    {
        var checks = new List<PolicyCheck> { ParseAnd(tokens, ref position, text) };
        while (position < tokens.Count && tokens[position].Equals("or", StringComparison.OrdinalIgnoreCase))
        {
            position++;
            checks.Add(ParseAnd(tokens, ref position, text));
        }
        return checks.Count == 1 ? checks[0] : new OrCheck(checks);
    }

    private static PolicyCheck ParseAnd(List<string> tokens, ref int position, string text)
    {
        var checks = new List<PolicyCheck> { ParseNot(tokens, ref position, text) };
        while (position < tokens.Count && tokens[position].Equals("and", StringComparison.OrdinalIgnoreCase))
        {
            position++;
            checks.Add(ParseNot(tokens, ref position, text));
        }
        return checks.Count == 1 ? checks[0] : new AndCheck(checks);
    }

    private static PolicyCheck ParseNot(List<string> tokens, ref int position, string text)
    {
        if (position < tokens.Count && tokens[position].Equals("not", StringComparison.OrdinalIgnoreCase))
        {
            position++;
            return new NotCheck(ParseNot(tokens, ref position, text));
        }
        return ParseAtom(tokens, ref position, text);
    }

    private static PolicyCheck ParseAtom(List<string> tokens, ref int position, string text)
    {
        if (position >= tokens.Count) throw new PolicySyntaxError($"\"{text}\" ends where a check is expected");
        var token = tokens[position++];
        if (token == "(")
        {
            var inner = ParseOr(tokens, ref position, text);
            if (position >= tokens.Count || tokens[position] != ")") throw new PolicySyntaxError($"missing ')' in \"{text}\"");
            position++;
            return inner;
        }
        if (token == "@") return new AlwaysCheck();
        if (token == "!") return new NeverCheck();
        var colon = token.IndexOf(':');
        if (colon <= 0 || colon == token.Length - 1)
            throw new PolicySyntaxError($"'{token}' in \"{text}\" is not a check (KIND:VALUE, @ or !)");
        var (kind, match) = (token[..colon], token[(colon + 1)..]);
        return kind switch
        {
            "rule" => new RuleCheck(match),
            "role" => new RoleCheck(match),
            _ => new GenericCheck(kind, match),
        };
    }
}
