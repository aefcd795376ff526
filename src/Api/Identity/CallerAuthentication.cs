using Nova.Keystone;

namespace Nova.Api.Identity;

/// <summary>Who a token stands for: the user, the project it is scoped to, that project's domain, the roles.</summary>
public sealed record CallerIdentity(string UserId, string ProjectId, string DomainId, IReadOnlySet<string> Roles);

/// <summary>
/// Turns an <c>X-Auth-Token</c> into the caller (null: not a valid token, 401). Two implementations, chosen by
/// <c>Nova:Auth:Strategy</c>: <see cref="NoAuth2"/> for development and <see cref="KeystoneAuthentication"/>.
/// Throws <see cref="KeystoneUnavailable"/> when the answer cannot be known (503).
/// </summary>
public interface ICallerAuthentication
{
    /// <summary>The <c>WWW-Authenticate</c> value of a 401: where a client gets a token.</summary>
    string Challenge { get; }
    ValueTask<CallerIdentity?> Authenticate(string token, CancellationToken ct);
}

/// <summary>
/// Nova's <c>noauth2</c> (development only): the token <c>user:project</c> is believed (a token without a colon is
/// both); every caller is member and reader of the project, user <c>admin</c> is also admin.
/// </summary>
public sealed class NoAuth2 : ICallerAuthentication
{
    private static readonly IReadOnlySet<string> Member = new HashSet<string> { "member", "reader" };
    private static readonly IReadOnlySet<string> Admin = new HashSet<string> { "admin", "member", "reader" };

    public string Challenge => "Keystone uri=\"noauth2\"";

    public ValueTask<CallerIdentity?> Authenticate(string token, CancellationToken ct)
    {
        var parts = token.Split(':', 2);
        var user = parts[0];
        var project = parts.Length == 2 && parts[1].Length > 0 ? parts[1] : parts[0];
        return ValueTask.FromResult<CallerIdentity?>(new CallerIdentity(user, project, "default", user == "admin" ? Admin : Member));
    }
}
