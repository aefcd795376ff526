namespace Nova.Store;

/// <summary>Event metadata keys the command side writes on every event: who asked, for which project.</summary>
public static class EventHeaders
{
    public const string UserId = "user_id";
    public const string ProjectId = "project_id";
    /// <summary>The client's global request id (<c>X-OpenStack-Request-ID</c>), when it sent one.</summary>
    public const string GlobalRequestId = "global_request_id";
}
