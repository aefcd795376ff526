using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Nova.Keystone;

namespace Nova.Api.Identity;

/// <summary>
/// Token validation as keystonemiddleware does it for Nova: each token is asked of Keystone
/// (<c>GET /v3/auth/tokens</c> as the service user), the answer is cached until the token expires, and a cached
/// answer older than <c>RevocationCheckSeconds</c> is asked again, so a revoked token stops working within that
/// interval. Tokens Keystone refused are remembered for the same interval (a flood of bad tokens does not become a
/// flood of Keystone calls). The cache is bounded (<c>CacheSize</c>) and keyed by the token's hash, never the token.
/// </summary>
public sealed class KeystoneAuthentication(KeystoneClient keystone, ServiceToken serviceToken, TimeProvider clock) : ICallerAuthentication
{
    /// <summary>Keystone's answer: the identity, or null for a token it refused.</summary>
    private sealed record Validated(CallerIdentity? Identity, DateTimeOffset ExpiresAt, DateTimeOffset CheckedAt);

    private readonly ConcurrentDictionary<string, Validated> cache = new();
    private readonly TimeSpan recheck = TimeSpan.FromSeconds(keystone.Settings.RevocationCheckSeconds);

    public string Challenge => $"Keystone uri=\"{keystone.Settings.Url.TrimEnd('/')}\"";

    public async ValueTask<CallerIdentity?> Authenticate(string token, CancellationToken ct)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(key, out var hit))
        {
            if (now < hit.ExpiresAt && now - hit.CheckedAt < recheck) return hit.Identity;
            cache.TryRemove(key, out _);
        }
        var found = await Validate(token, ct);
        var identity = found is null || found.ExpiresAt <= now || found.ProjectId.Length == 0
            ? null
            : new CallerIdentity(found.UserId, found.ProjectId, found.ProjectDomainId, found.Roles.Select(r => r.ToLowerInvariant()).ToHashSet());
        if (cache.Count >= keystone.Settings.CacheSize) Evict(now);
        cache[key] = new Validated(identity, identity is null ? now + recheck : found!.ExpiresAt, now);
        return identity;
    }

    private async Task<TokenIdentity?> Validate(string token, CancellationToken ct)
    {
        var service = await serviceToken.Get(ct);
        try { return await keystone.Validate(service, token, ct); }
        catch (ServiceTokenRejected)
        {
            serviceToken.Reject(service);
            try { return await keystone.Validate(await serviceToken.Get(ct), token, ct); }
            catch (ServiceTokenRejected e) { throw new KeystoneUnavailable("Keystone rejects the service user's token", e); }
        }
    }

    /// <summary>Expired and stale entries first; if the cache is still full, the oldest-checked half.</summary>
    private void Evict(DateTimeOffset now)
    {
        foreach (var (key, entry) in cache)
            if (now >= entry.ExpiresAt || now - entry.CheckedAt >= recheck) cache.TryRemove(key, out _);
        if (cache.Count < keystone.Settings.CacheSize) return;
        foreach (var (key, _) in cache.OrderBy(e => e.Value.CheckedAt).Take(cache.Count / 2 + 1).ToList()) cache.TryRemove(key, out _);
    }
}
