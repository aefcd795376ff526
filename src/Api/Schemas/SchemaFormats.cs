using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Nova.Api.Schemas;

/// <summary>
/// The <c>format</c> values Nova's schemas use, checked as nova/api/validation/validators.py checks them. The name
/// formats refuse with Nova's InvalidName message (which replaces the whole detail); the others refuse with
/// jsonschema's <c>'x' is not a 'uuid'</c>, and, as jsonschema does, pass anything that is not a string.
/// </summary>
public static class SchemaFormats
{
    /// <summary>The reason Nova gives for a refused name format (parameter_types.valid_*_regex.reason), or null: not a name format.</summary>
    public static string? NameReason(string format) => format switch
    {
        "name" => "printable characters. Can not start or end with whitespace.",
        "name_with_leading_trailing_spaces" => "printable characters with at least one non space character",
        "az_name" => "printable characters except :.Can not start or end with whitespace.",
        "az_name_with_leading_trailing_spaces" => "printable characters except :, with at least one non space character",
        _ => null,
    };

    /// <summary>Whether a name format accepts the value; a value that is not a string never fits one.</summary>
    public static bool IsName(string format, string? value)
    {
        if (value is null) return false;
        // Nova's regexes end in '$', which Python's re also matches before one final newline.
        if (value.EndsWith('\n')) value = value[..^1];
        var colonAllowed = !format.StartsWith("az_", StringComparison.Ordinal);
        foreach (var c in value)
            if (!IsPrintable(c) || (!colonAllowed && c == ':')) return false;
        if (format.EndsWith("_with_leading_trailing_spaces", StringComparison.Ordinal))
            return value.Any(c => !IsSpace(c));
        return value.Length == 0 || (!IsSpace(value[0]) && !IsSpace(value[^1]));
    }

    /// <summary>Whether a string fits a non-name format; unknown formats pass, as in jsonschema.</summary>
    public static bool Fits(string format, string value) => format switch
    {
        "uuid" => IsUuid(value),
        "ipv4" => IsIPv4(value),
        "ipv6" => IsIPv6(value),
        "cidr" => IsCidr(value),
        "base64" => IsBase64(value),
        "printable" => (value.EndsWith('\n') ? value[..^1] : value).All(IsPrintable),
        _ => true,
    };

    /// <summary>
    /// Nova's printable characters (parameter_types._is_printable): not "Other" (control, format, surrogate, private,
    /// unassigned) and not a separator other than a space separator (Zs). Nova's ranges stop at U+FFFE, so a character
    /// outside the Basic Multilingual Plane (a surrogate pair here) is not printable either.
    /// </summary>
    public static bool IsPrintable(char c) => CharUnicodeInfo.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
        _ => c != '\uffff',
    };

    private static bool IsSpace(char c) => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator;

    /// <summary>oslo_utils.uuidutils.is_uuid_like: 32 hex digits once "urn:", "uuid:", braces and hyphens are dropped.</summary>
    public static bool IsUuid(string value)
    {
        var hex = value.Replace("urn:", "", StringComparison.Ordinal).Replace("uuid:", "", StringComparison.Ordinal)
            .Trim('{', '}').Replace("-", "", StringComparison.Ordinal);
        return hex.Length == 32 && hex.All(char.IsAsciiHexDigit);
    }

    /// <summary>Python's ipaddress.IPv4Address: four decimal octets of at most three digits, no leading zero, at most 255.</summary>
    public static bool IsIPv4(string value)
    {
        var octets = value.Split('.');
        if (octets.Length != 4) return false;
        foreach (var octet in octets)
        {
            if (octet.Length is 0 or > 3 || !octet.All(char.IsAsciiDigit)) return false;
            if (octet.Length > 1 && octet[0] == '0') return false;
            if (int.Parse(octet, CultureInfo.InvariantCulture) > 255) return false;
        }
        return true;
    }

    /// <summary>Python's ipaddress.IPv6Address without a scope id (jsonschema refuses those).</summary>
    public static bool IsIPv6(string value) =>
        value.Contains(':') && value.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
        && IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>Nova's cidr format: an address, a '/', a prefix length that fits it; no whitespace.</summary>
    public static bool IsCidr(string value)
    {
        var slash = value.IndexOf('/');
        if (slash < 0 || value.Any(char.IsWhiteSpace)) return false;
        var (address, prefix) = (value[..slash], value[(slash + 1)..]);
        if (!int.TryParse(prefix, NumberStyles.None, CultureInfo.InvariantCulture, out var length)) return false;
        if (IsIPv4(address)) return length <= 32;
        return IsIPv6(address) && length <= 128;
    }

    /// <summary>Python's lenient base64.b64decode: characters outside the alphabet are dropped, the padding must fit.</summary>
    public static bool IsBase64(string value)
    {
        var kept = new string(value.Where(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=').ToArray());
        var data = kept.TrimEnd('=');
        if (data.Contains('=')) data = data[..data.IndexOf('=')];
        if (data.Length % 4 == 1) return false;
        var padded = data.PadRight(data.Length + (4 - data.Length % 4) % 4, '=');
        return Convert.TryFromBase64String(padded, new byte[padded.Length], out _)
            && (data.Length % 4 == 0 || kept.Length >= padded.Length);
    }
}
