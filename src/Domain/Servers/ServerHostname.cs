using System.Text.RegularExpressions;

namespace Nova.Domain.Servers;

/// <summary>
/// Nova's <c>utils.sanitize_hostname</c>: the guest's hostname, fixed at create from its display name
/// (<c>Server-{uuid}</c> if nothing is left of it); a later rename keeps it, as in Nova.
/// </summary>
public static partial class ServerHostname
{
    private const int MaxLength = 63;

    public static string From(string name, Guid id)
    {
        // Nova drops what Latin-1 cannot encode before anything else.
        var latin1 = new string(name.Where(c => c <= '\u00ff').ToArray());
        var hostname = Truncate(latin1);
        hostname = Separators().Replace(hostname, "-");
        hostname = NotHostCharacters().Replace(hostname, "");
        hostname = hostname.ToLowerInvariant().Trim('.', '-');
        hostname = Truncate(hostname);
        return hostname.Length == 0 ? $"Server-{id}" : hostname;
    }

    private static string Truncate(string name) => name.Length > MaxLength ? name[..MaxLength] : name;

    [GeneratedRegex(@"[ _\.]")]
    private static partial Regex Separators();

    // Python's \w (Unicode word characters) plus '.' and '-'.
    [GeneratedRegex(@"[^\w.-]+")]
    private static partial Regex NotHostCharacters();
}
