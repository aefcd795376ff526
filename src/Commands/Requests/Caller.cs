using Nova.Commands.Policy;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Requests;

/// <summary>
/// Who is asking and under which request id: set by the API's identity middleware for REST and gRPC calls
/// (from Keystone, or from a noauth2 token) and from the message for bus traffic; written into every event's
/// metadata. What the caller may do is decided by <see cref="NovaPolicy"/> from the roles.
/// </summary>
public sealed class Caller(PolicyFile? policyFile)
{
    public const string AdminRole = "admin";

    /// <summary>A caller judged by Nova's default rules (no policy file).</summary>
    public Caller() : this(null) { }

    /// <summary>The rules in force for this caller's decisions: the policy file's, re-read when it changed.</summary>
    public PolicyRules Policy => policyFile?.Current ?? PolicyRules.Defaults;

    public string RequestId { get; set; } = NewRequestId();
    public string UserId { get; set; } = "";
    public string ProjectId { get; set; } = "";
    /// <summary>The project's domain (Keystone's <c>project.domain.id</c>; <c>default</c> in noauth2).</summary>
    public string DomainId { get; set; } = "default";
    /// <summary>Role names on the project, implied roles included (admin ⇒ member ⇒ reader).</summary>
    public IReadOnlySet<string> Roles { get; set; } = new HashSet<string>();

    public bool IsAdmin
    {
        get => Roles.Contains(AdminRole);
        set => Roles = value ? new HashSet<string>(Roles) { AdminRole } : Roles.Where(r => r != AdminRole).ToHashSet();
    }

    public Requester AsRequester() => new(UserId, ProjectId, IsAdmin);
    public RequestContext AsRequestContext() => new(RequestId, UserId, ProjectId);

    public void Become(RequestContext request, bool isAdmin = false)
    {
        RequestId = request.RequestId;
        UserId = request.UserId;
        ProjectId = request.ProjectId;
        IsAdmin = isAdmin;
    }

    public static string NewRequestId() => $"req-{Guid.NewGuid()}";
}
