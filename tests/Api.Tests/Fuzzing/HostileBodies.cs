using System.Text;
using System.Text.Json.Nodes;

namespace Nova.Api.Tests.Fuzzing;

/// <summary>
/// Malformed and hostile JSON bodies, grown from a plausible body of the route: one mutation each. Tokens that
/// System.Text.Json will not write (NaN, a lone surrogate, a duplicate key) are written as marked strings and
/// swapped into the text afterwards.
/// </summary>
public sealed partial class HostileBodies(Random rng)
{
    private const string RawMark = "\u0001RAW:", DuplicateMark = "\u0001DUP:";

    public static readonly string[] RawTokens =
    [
        "NaN", "Infinity", "-Infinity", "1e999", "-1e999", "99999999999999999999999999", "-9223372036854775809",
        "2147483648", "-2147483649", "1.7976931348623157e308", "0.0000000000000000000000001", "-0", "1.5", "\"\\ud800\"",
        "\"a\\udc00b\"", "\"\\u0000\"", "\"x\\u0000y\"", "\"\\ud83d\\ude00\"", "\"\\u202e\"",
    ];

    public string Next(JsonNode seed) => rng.Next(14) switch
    {
        0 => Garbage(),
        1 => Write(WithDuplicateKey(seed.DeepClone())),
        2 => Deep(rng.Next(2) == 0 ? 40 : 5000),
        3 => Write(Replace(seed.DeepClone(), Huge())),
        4 or 5 or 6 => Write(Replace(seed.DeepClone(), Raw(rng.Next(RawTokens.Length)))),
        7 => Write(Replace(seed.DeepClone(), WrongType())),
        8 => Write(WithExtra(seed.DeepClone())),
        9 => Write(Replace(seed.DeepClone(), JsonValue.Create(new string('n', 256)))),
        10 => Write(Replace(seed.DeepClone(), JsonValue.Create(rng.Next(2) == 0 ? "" : "   "))),
        11 => WrongTopLevel(),
        12 => Write(Replace(seed.DeepClone(), DeepValue(rng.Next(20, 200)))),
        _ => Write(seed),
    };

    /// <summary>Text as the wire carries it: marked raw tokens and duplicate keys put back.</summary>
    public string Write(JsonNode? node) =>
        Marked().Replace(node?.ToJsonString() ?? "null", m => m.Groups[1].Value == "RAW"
            ? RawTokens[int.Parse(m.Groups[2].Value)]
            : System.Text.Json.JsonSerializer.Serialize(duplicateKeys[int.Parse(m.Groups[2].Value)]));

    [System.Text.RegularExpressions.GeneratedRegex("\"\\\\u0001(RAW|DUP):([0-9]+)\"")]
    private static partial System.Text.RegularExpressions.Regex Marked();

    private readonly List<string> duplicateKeys = [];

    private static JsonNode Raw(int token) => JsonValue.Create(RawMark + token)!;

    private JsonNode WithDuplicateKey(JsonNode node)
    {
        var target = Pick(node, n => n is JsonObject { Count: > 0 }) as JsonObject ?? (node as JsonObject ?? new JsonObject());
        if (target.Count == 0) target["x"] = 1;
        var (key, value) = target.ElementAt(rng.Next(target.Count));
        _ = value;
        duplicateKeys.Add(key);
        target[DuplicateMark + (duplicateKeys.Count - 1)] = WrongType();
        return node;
    }

    private JsonNode WithExtra(JsonNode node)
    {
        if (Pick(node, n => n is JsonObject) is JsonObject o) o["fuzz_" + rng.Next(1000)] = WrongType();
        return node;
    }

    /// <summary>The seed with one value (anywhere in it) replaced.</summary>
    private JsonNode? Replace(JsonNode node, JsonNode? with)
    {
        var leaves = new List<(JsonNode Parent, object Key)>();
        Collect(node, leaves);
        if (leaves.Count == 0) return with;
        var (parent, key) = leaves[rng.Next(leaves.Count)];
        if (parent is JsonObject o) o[(string)key] = with;
        else ((JsonArray)parent)[(int)key] = with;
        return node;
    }

    private static void Collect(JsonNode node, List<(JsonNode, object)> into)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o.ToList()) { into.Add((o, k)); if (v is not null) Collect(v, into); }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++) { into.Add((a, i)); if (a[i] is { } v) Collect(v, into); }
                break;
        }
    }

    private JsonNode? Pick(JsonNode node, Func<JsonNode, bool> fits)
    {
        var all = new List<JsonNode>();
        void Walk(JsonNode? n)
        {
            if (n is null) return;
            if (fits(n)) all.Add(n);
            if (n is JsonObject o) foreach (var (_, v) in o) Walk(v);
            if (n is JsonArray a) foreach (var v in a) Walk(v);
        }
        Walk(node);
        return all.Count == 0 ? null : all[rng.Next(all.Count)];
    }

    public JsonNode? WrongType() => rng.Next(9) switch
    {
        0 => null,
        1 => JsonValue.Create(rng.Next(2) == 0),
        2 => JsonValue.Create(rng.Next(-5, 5)),
        3 => new JsonArray(JsonValue.Create("a"), JsonValue.Create(1)),
        4 => new JsonObject { ["k"] = new JsonObject() },
        5 => JsonValue.Create("\u0000"),
        6 => JsonValue.Create("1 OR 1=1; DROP TABLE x"),
        7 => JsonValue.Create(long.MaxValue),
        _ => new JsonArray(),
    };

    private JsonNode Huge() => JsonValue.Create(new string((char)('a' + rng.Next(26)), rng.Next(4) == 0 ? 2_000_000 : rng.Next(300, 120_000)))!;

    private static JsonNode DeepValue(int depth)
    {
        JsonNode n = JsonValue.Create(1)!;
        for (var i = 0; i < depth; i++) n = new JsonObject { ["a"] = n };
        return n;
    }

    private static string Deep(int depth) => new string('[', depth) + new string(']', depth);

    private string WrongTopLevel() => rng.Next(6) switch
    {
        0 => "null",
        1 => "[]",
        2 => "\"server\"",
        3 => "42",
        4 => "true",
        _ => "{}",
    };

    private string Garbage() => rng.Next(9) switch
    {
        0 => "",
        1 => "{",
        2 => "{\"server\": ",
        3 => "\uFEFF{}",
        4 => "{} trailing",
        5 => "{'single': 'quotes'}",
        6 => "{\"a\": 1,}",
        7 => "/* comment */ {}",
        _ => new string((char)rng.Next(1, 0xD7FF), rng.Next(1, 200)),
    };
}
