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

    /// <summary>This request's own id (<c>req-&lt;uuid&gt;</c>, always made here, as Nova's): the correlation id of its events.</summary>
    public string RequestId { get; set; } = NewRequestId();
    /// <summary>
    /// The client's <c>X-OpenStack-Request-ID</c> (oslo's global request id), when well formed: one id for a whole
    /// workflow of the client's, so many requests share it. It is logged and recorded with the events, and it names
    /// nothing: it never decides an id or makes two requests one.
    /// </summary>
    public string? GlobalRequestId { get; set; }
    /// <summary>The client's <c>Idempotency-Key</c>: its retries of one create are that create, not new ones.</summary>
    public string? IdempotencyKey { get; set; }
    /// <summary>
    /// What the ids of a create derive from: the idempotency key when the client gave one (a retry with it finds the
    /// first attempt's resources), else this request alone. Ids include the project, so keys of two projects never meet.
    /// </summary>
    public string CreationKey => IdempotencyKey is { } key ? $"idempotency-key:{key}" : RequestId;
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
