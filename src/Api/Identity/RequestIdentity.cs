using System.Text.RegularExpressions;
using Nova.Api.Http;
using Nova.Commands.Requests;
using Nova.Keystone;

namespace Nova.Api.Identity;

/// <summary>
/// Request id and the caller: the <c>X-Auth-Token</c> header (a REST header, or gRPC metadata, which arrives as an
/// HTTP/2 header) is turned into the caller by the configured <see cref="ICallerAuthentication"/>. No token or an
/// invalid one is 401 with <c>WWW-Authenticate</c>; an identity service that cannot answer is 503, never a pass.
/// Every response carries the request id, which becomes the correlation id of the events the request appends.
/// As in Nova (oslo.middleware's request_id), that id is always this control plane's own <c>req-&lt;uuid&gt;</c>: a
/// client's <c>X-OpenStack-Request-ID</c> is its global request id, shared by many requests of one workflow, so it is
/// kept beside the own id (logs, event headers) and never stands for this request. A client that wants a create
/// retried safely says so with <c>Idempotency-Key</c>.
/// </summary>
public sealed partial class RequestIdentityMiddleware(RequestDelegate next, ICallerAuthentication authentication, ILogger<RequestIdentityMiddleware> log)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const int MaxIdempotencyKeyLength = 255;

    [GeneratedRegex("^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex RequestIdFormat();

    public async Task Invoke(HttpContext http, Caller caller)
    {
        var global = http.Request.Headers["X-OpenStack-Request-ID"].ToString();
        caller.RequestId = Caller.NewRequestId();
        caller.GlobalRequestId = RequestIdFormat().IsMatch(global) ? global : null;
        http.Response.Headers["x-openstack-request-id"] = caller.RequestId;
        http.Response.Headers["x-compute-request-id"] = caller.RequestId;
        if (http.Request.Headers.TryGetValue(IdempotencyKeyHeader, out var keys))
        {
            var key = keys.ToString();
            if (keys.Count != 1 || key.Length is 0 or > MaxIdempotencyKeyLength || key.Any(c => c is < '!' or > '~'))
            {
                await NovaError.Write(http, 400, $"Invalid {IdempotencyKeyHeader} header: one value of 1 to {MaxIdempotencyKeyLength} printable ASCII characters.");
                return;
            }
            caller.IdempotencyKey = key;
        }
        using var scope = caller.GlobalRequestId is null ? null
            : log.BeginScope(new Dictionary<string, object> { ["GlobalRequestId"] = caller.GlobalRequestId });
        if (caller.GlobalRequestId is not null)
            log.LogDebug("Request {RequestId} is part of global request {GlobalRequestId}", caller.RequestId, caller.GlobalRequestId);

        if (IsPublic(http.Request.Path))
        {
            await next(http);
            return;
        }

        var token = http.Request.Headers["X-Auth-Token"].ToString();
        CallerIdentity? identity;
        try
        {
            identity = token.Length == 0 ? null : await authentication.Authenticate(token, http.RequestAborted);
        }
        catch (KeystoneUnavailable e)
        {
            log.LogError("Identity service unavailable: {Reason}", e.Message);
            await NovaError.Write(http, 503, "The identity service is unavailable; the request cannot be authenticated.");
            return;
        }
        if (identity is null)
        {
            http.Response.Headers.WWWAuthenticate = authentication.Challenge;
            await NovaError.Write(http, 401, "The request you have made requires authentication.");
            return;
        }
        caller.UserId = identity.UserId;
        caller.ProjectId = identity.ProjectId;
        caller.DomainId = identity.DomainId;
        caller.Roles = identity.Roles;
        await next(http);
    }

    private static bool IsPublic(PathString path) =>
        path == "/" || path == "/v2.1" || path == "/v2.1/" || Health.HealthSetup.IsHealthPath(path) || path == "/metrics" || path == "/image" || path == "/image/" || path == "/image/versions";
}
