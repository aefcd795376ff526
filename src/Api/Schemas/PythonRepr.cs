using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nova.Api.Schemas;

/// <summary>
/// A JSON value written as Python writes the value <c>json.loads</c> makes of it (<c>repr</c> and <c>str</c>):
/// Nova's validation messages quote the client's input this way (<c>'x' is not of type 'integer'</c>,
/// <c>{'a': 1} is not of type 'string'</c>, <c>Value: x.</c>), and clients and Tempest compare those messages.
/// </summary>
public static class PythonRepr
{
    public static string Repr(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node);
        return text.ToString();
    }

    /// <summary><c>str(value)</c>: a string as it is, anything else as <see cref="Repr"/>.</summary>
    public static string Str(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : Repr(node);

    private static void Write(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("None");
                return;
            case JsonObject o:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in o)
                {
                    if (!first) text.Append(", ");
                    first = false;
                    text.Append(String(key)).Append(": ");
                    Write(text, value);
                }
                text.Append('}');
                return;
            case JsonArray a:
                text.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) text.Append(", ");
                    Write(text, a[i]);
                }
                text.Append(']');
                return;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String: text.Append(String(v.GetValue<string>())); return;
                    case JsonValueKind.True: text.Append("True"); return;
                    case JsonValueKind.False: text.Append("False"); return;
                    case JsonValueKind.Number: text.Append(Number(v.ToJsonString())); return;
                    default: text.Append("None"); return;
                }
        }
    }

    /// <summary>A JSON number's text as Python prints it: an integer as is, anything with '.', 'e' as a float.</summary>
    public static string Number(string json)
    {
        if (json.IndexOfAny(['.', 'e', 'E']) < 0)
            return System.Numerics.BigInteger.Parse(json, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        return Float(double.Parse(json, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, fixed from 1e-4 to 1e16, else d.ddde+XX.</summary>
    public static string Float(double d)
    {
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        if (double.IsNaN(d)) return "nan";
        var sign = d < 0 || (d == 0 && double.IsNegative(d)) ? "-" : "";
        // Shortest digits that round-trip, as Python's repr chooses.
        var shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var (digits, exponent) = Decompose(shortest);
        if (digits.Length == 0 || digits.All(c => c == '0')) return sign + "0.0";
        // exponent: the position of the decimal point after the first digit (d.ddd × 10^exponent)
        if (exponent < -4 || exponent >= 16) return sign + Scientific(digits, exponent);
        if (exponent < 0) return sign + "0." + new string('0', -exponent - 1) + digits;
        var whole = digits.Length > exponent + 1 ? digits[..(exponent + 1)] : digits.PadRight(exponent + 1, '0');
        var fraction = digits.Length > exponent + 1 ? digits[(exponent + 1)..] : "0";
        return sign + whole + "." + fraction;
    }

    private static string Scientific(string digits, int exponent)
    {
        var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        var e = exponent < 0 ? "-" + (-exponent).ToString("00", CultureInfo.InvariantCulture) : "+" + exponent.ToString("00", CultureInfo.InvariantCulture);
        return mantissa + "e" + e;
    }

    /// <summary>"1.2345E+17" or "0.00012" or "123.4" into significant digits (no leading/trailing zeros) and the exponent of the first.</summary>
    private static (string Digits, int Exponent) Decompose(string text)
    {
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.');
        var intPart = dot >= 0 ? text[..dot] : text;
        var fracPart = dot >= 0 ? text[(dot + 1)..] : "";
        var all = intPart + fracPart;
        var firstNonZero = 0;
        while (firstNonZero < all.Length && all[firstNonZero] == '0') firstNonZero++;
        if (firstNonZero == all.Length) return ("", 0);
        var digits = all[firstNonZero..].TrimEnd('0');
        // the first significant digit sits at position firstNonZero; the point sits after intPart
        exponent += intPart.Length - firstNonZero - 1;
        return (digits, exponent);
    }

    /// <summary>Python's <c>repr(str)</c>: single quotes unless the text has one and no double quote; escapes as Python does.</summary>
    public static string String(string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var text = new StringBuilder(s.Length + 2).Append(quote);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == quote || c == '\\') { text.Append('\\').Append(c); continue; }
            switch (c)
            {
                case '\t': text.Append("\\t"); continue;
                case '\n': text.Append("\\n"); continue;
                case '\r': text.Append("\\r"); continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                var cp = char.ConvertToUtf32(c, s[i + 1]);
                var category = CharUnicodeInfo.GetUnicodeCategory(cp);
                if (IsPrintable(category)) text.Append(c).Append(s[i + 1]);
                else text.Append("\\U").Append(cp.ToString("x8", CultureInfo.InvariantCulture));
                i++;
                continue;
            }
            if (c == ' ' || IsPrintable(CharUnicodeInfo.GetUnicodeCategory(c))) text.Append(c);
            else if (c < 0x100) text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            else text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        return text.Append(quote).ToString();
    }

    // str.isprintable(): not "Other" (Cc, Cf, Cs, Co, Cn) and not a separator (Z*) other than the ASCII space.
    private static bool IsPrintable(UnicodeCategory category) => category switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned => false,
        UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
        _ => true,
    };
}
