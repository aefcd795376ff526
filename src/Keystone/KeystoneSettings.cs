namespace Nova.Keystone;

/// <summary>
/// Section <c>Nova:Auth:Keystone</c>: where Keystone is and the service user the control plane (and its compute
/// hosts) authenticate as, like keystonemiddleware's <c>[keystone_authtoken]</c>.
/// </summary>
public sealed class KeystoneSettings
{
    /// <summary>Keystone's v3 root, e.g. <c>http://127.0.0.1:5000/v3</c> (Nova's <c>www_authenticate_uri</c>/<c>auth_url</c>).</summary>
    public string Url { get; set; } = "";
    public string User { get; set; } = "nova";
    public string Password { get; set; } = "";
    public string Project { get; set; } = "service";
    public string UserDomain { get; set; } = "Default";
    public string ProjectDomain { get; set; } = "Default";
    /// <summary>The region whose catalog entries belong to this control plane.</summary>
    public string Region { get; set; } = "RegionOne";
    /// <summary>A cached token is checked against Keystone again after this long, so a revoked one stops working.</summary>
    public int RevocationCheckSeconds { get; set; } = 10;
    /// <summary>How many validated tokens are kept.</summary>
    public int CacheSize { get; set; } = 10_000;

    public string V3 => Url.TrimEnd('/').EndsWith("/v3", StringComparison.Ordinal) ? Url.TrimEnd('/') : Url.TrimEnd('/') + "/v3";

    public void Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out _)) throw new InvalidOperationException("Nova:Auth:Keystone:Url must be Keystone's URL, e.g. http://127.0.0.1:5000/v3");
        if (string.IsNullOrEmpty(User) || string.IsNullOrEmpty(Password))
            throw new InvalidOperationException("Nova:Auth:Keystone:User and :Password (the service user) are required");
        if (RevocationCheckSeconds < 0 || CacheSize < 1) throw new InvalidOperationException("Nova:Auth:Keystone:RevocationCheckSeconds must be ≥ 0 and :CacheSize ≥ 1");
    }
}
