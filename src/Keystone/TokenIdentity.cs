namespace Nova.Keystone;

/// <summary>What Keystone says a project-scoped token stands for.</summary>
public sealed record TokenIdentity(
    string UserId, string UserName, string UserDomainId,
    string ProjectId, string ProjectName, string ProjectDomainId,
    IReadOnlyList<string> Roles, DateTimeOffset ExpiresAt);

/// <summary>Keystone could not be asked (down, timing out, answering 5xx): the caller gets 503, never a pass.</summary>
public sealed class KeystoneUnavailable(string message, Exception? inner = null) : Exception(message, inner);
