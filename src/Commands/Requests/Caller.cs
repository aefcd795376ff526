using Nova.Domain.Compute;
using Nova.Domain.Servers;

namespace Nova.Commands.Requests;

/// <summary>
/// Who is asking and under which request id: set by the API's auth middleware for REST calls
/// and from the message for bus traffic; written into every event's metadata.
/// </summary>
public sealed class Caller
{
    public string RequestId { get; set; } = NewRequestId();
    public string UserId { get; set; } = "";
    public string ProjectId { get; set; } = "";
    public bool IsAdmin { get; set; }

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
