using System.Text;

namespace Nova.Domain.Servers;

/// <summary>
/// The guest's hostname, fixed at create from its display name as Nova's sanitize_hostname makes it: characters
/// beyond Latin-1 dropped, cut to 63, spaces, underscores and dots as hyphens, only word characters and hyphens
/// kept, lower case, no leading or trailing dot or hyphen; a name with nothing left becomes <c>Server-&lt;id&gt;</c>.
/// A later rename keeps it, as in Nova.
/// </summary>
public static class ServerHostname
{
    public const int MaxLength = 63;

    public static string From(string displayName, Guid serverId)
    {
        var latin1 = new string(displayName.Where(c => c <= '\u00FF').ToArray());
        if (latin1.Length > MaxLength) latin1 = latin1[..MaxLength];
        var text = new StringBuilder(latin1.Length);
        foreach (var c in latin1)
        {
            var mapped = c is ' ' or '_' or '.' ? '-' : c;
            if (char.IsLetterOrDigit(mapped) || mapped is '-') text.Append(char.ToLowerInvariant(mapped));
        }
        var hostname = text.ToString().Trim('.', '-');
        return hostname.Length == 0 ? $"Server-{serverId}" : hostname;
    }
}
