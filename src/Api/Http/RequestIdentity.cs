using System.Text.RegularExpressions;
using Nova.Commands.Requests;

namespace Nova.Api.Http;

/// <summary>
/// Request id and Nova's <c>noauth2</c> identity: the token <c>user:project</c> (a token without a
/// colon is both), user <c>admin</c> is an admin. Every response carries the request id, which
/// becomes the correlation id of the events the request appends.
/// </summary>
public sealed partial class RequestIdentityMiddleware(RequestDelegate next)
{
    [GeneratedRegex("^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex RequestIdFormat();

    public async Task Invoke(HttpContext http, Caller caller)
    {
        var offered = http.Request.Headers["X-OpenStack-Request-ID"].ToString();
        caller.RequestId = RequestIdFormat().IsMatch(offered) ? offered : Caller.NewRequestId();
        http.Response.Headers["x-openstack-request-id"] = caller.RequestId;
        http.Response.Headers["x-compute-request-id"] = caller.RequestId;

        if (IsPublic(http.Request.Path))
        {
            await next(http);
            return;
        }

        var token = http.Request.Headers["X-Auth-Token"].ToString();
        if (string.IsNullOrEmpty(token))
        {
            http.Response.Headers.WWWAuthenticate = "Keystone uri=\"noauth2\"";
            await NovaError.Write(http, 401, "Authentication required");
            return;
        }
        var parts = token.Split(':', 2);
        caller.UserId = parts[0];
        caller.ProjectId = parts.Length == 2 && parts[1].Length > 0 ? parts[1] : parts[0];
        caller.IsAdmin = caller.UserId == "admin";
        await next(http);
    }

    private static bool IsPublic(PathString path) =>
        path == "/" || path == "/v2.1" || path == "/v2.1/" || path == "/healthz" || path == "/metrics";
}
