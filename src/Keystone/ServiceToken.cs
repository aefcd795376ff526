namespace Nova.Keystone;

/// <summary>
/// The service user's token, fetched once and renewed a while before it expires (or at once when Keystone
/// rejects it), shared by every caller in the process.
/// </summary>
public sealed class ServiceToken(KeystoneClient keystone, TimeProvider clock)
{
    /// <summary>Renew this long before expiry, so a token never expires on its way to the server.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim gate = new(1, 1);
    private (string Token, DateTimeOffset ExpiresAt)? current;

    public async Task<string> Get(CancellationToken ct)
    {
        if (current is { } c && clock.GetUtcNow() < c.ExpiresAt - RenewBefore) return c.Token;
        await gate.WaitAsync(ct);
        try
        {
            if (current is { } again && clock.GetUtcNow() < again.ExpiresAt - RenewBefore) return again.Token;
            current = await keystone.Authenticate(ct);
            return current.Value.Token;
        }
        finally { gate.Release(); }
    }

    /// <summary>Forget a token Keystone refused, so the next <see cref="Get"/> authenticates again.</summary>
    public void Reject(string token)
    {
        if (current?.Token == token) current = null;
    }
}
