using System.Globalization;

namespace Nova.Api.Http;

/// <summary>A compute API microversion (2.x).</summary>
public readonly record struct Microversion(int Major, int Minor) : IComparable<Microversion>
{
    public static readonly Microversion Min = new(2, 1);
    /// <summary>Nova Stein's maximum: every response shape up to it is honoured.</summary>
    public static readonly Microversion Max = new(2, 72);

    public int CompareTo(Microversion other) => (Major, Minor).CompareTo((other.Major, other.Minor));
    public static bool operator >=(Microversion a, Microversion b) => a.CompareTo(b) >= 0;
    public static bool operator <=(Microversion a, Microversion b) => a.CompareTo(b) <= 0;
    public static bool operator >(Microversion a, Microversion b) => a.CompareTo(b) > 0;
    public static bool operator <(Microversion a, Microversion b) => a.CompareTo(b) < 0;
    public bool AtLeast(int minor) => this >= new Microversion(2, minor);
    public override string ToString() => $"{Major}.{Minor}";

    public static bool TryParse(string text, out Microversion version)
    {
        version = default;
        if (text.Equals("latest", StringComparison.OrdinalIgnoreCase)) { version = Max; return true; }
        var parts = text.Split('.');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
            return false;
        version = new Microversion(major, minor);
        return true;
    }
}

/// <summary>
/// Reads <c>OpenStack-API-Version: compute 2.x</c> or <c>X-OpenStack-Nova-API-Version: 2.x</c>
/// (none means 2.1), refuses versions out of range with 406, and echoes the version in both headers.
/// </summary>
public sealed class MicroversionMiddleware(RequestDelegate next)
{
    private const string Key = "nova.microversion";

    public async Task Invoke(HttpContext http)
    {
        var requested = Requested(http.Request);
        var version = Microversion.Min;
        if (requested is not null)
        {
            if (!Microversion.TryParse(requested, out version))
            {
                await NovaError.Write(http, 400, $"Invalid format for API version: {requested}.");
                return;
            }
            if (version < Microversion.Min || version > Microversion.Max)
            {
                await NovaError.Write(http, 406,
                    $"Version {requested} is not supported by the API. Minimum is {Microversion.Min} and maximum is {Microversion.Max}.");
                return;
            }
        }
        http.Items[Key] = version;
        http.Response.Headers["OpenStack-API-Version"] = $"compute {version}";
        http.Response.Headers["X-OpenStack-Nova-API-Version"] = version.ToString();
        http.Response.Headers.Vary = "OpenStack-API-Version, X-OpenStack-Nova-API-Version";
        await next(http);
    }

    private static string? Requested(HttpRequest request)
    {
        foreach (var value in request.Headers["OpenStack-API-Version"])
        {
            // "compute 2.37" possibly among other services' versions, comma separated
            foreach (var item in (value ?? "").Split(','))
            {
                var parts = item.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 2 && parts[0].Equals("compute", StringComparison.OrdinalIgnoreCase)) return parts[1].Trim();
            }
        }
        var legacy = request.Headers["X-OpenStack-Nova-API-Version"].ToString();
        return legacy.Length > 0 ? legacy.Trim() : null;
    }

    public static Microversion Of(HttpContext http) => http.Items[Key] is Microversion v ? v : Microversion.Min;
}
