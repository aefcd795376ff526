using System.Text.Json;
using StatusCode = Grpc.Core.StatusCode;
using Nova.Commands.Images;
using Nova.Commands.Requests;
using Nova.Domain.HostAggregates;
using Nova.Domain.Hosts;
using Nova.Domain.KeyPairs;
using Nova.Domain.Quotas;
using Nova.Domain.ServerGroups;
using Nova.Domain.Servers;

namespace Nova.Api.Http;

/// <summary>An error the API answers with Nova's body shape, e.g. <c>{"itemNotFound": {"code": 404, "message": "..."}}</c>.</summary>
public sealed class NovaError(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static NovaError BadRequest(string message) => new(400, message);
    public static NovaError NotFound(string message) => new(404, message);

    /// <summary>Nova's fault names by status (nova/api/openstack/wsgi.py).</summary>
    public static string FaultName(int status) => status switch
    {
        400 => "badRequest",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "itemNotFound",
        405 => "badMethod",
        409 => "conflictingRequest",
        413 or 429 => "overLimit",
        415 => "badMediaType",
        501 => "notImplemented",
        503 => "serviceUnavailable",
        _ => "computeFault",
    };

    public static Task Write(HttpContext http, int status, string message)
    {
        if (IsGrpc(http.Request)) return WriteGrpcStatus(http, GrpcCode(status), message);
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=UTF-8";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            [FaultName(status)] = new { code = status, message },
        }));
    }

    /// <summary>What a failure means in Nova's terms: the status and the message the client sees (null: unexpected, a 500).</summary>
    public static (int Status, string Message)? Classify(Exception e) => e switch
    {
        NovaError n => (n.Status, n.Message),
        InvalidRequest r => (400, r.Message),
        InvalidServerRequest r => (400, r.Message),
        BadHttpRequestException { StatusCode: 413 } => (413, RequestBodyLimitMiddleware.TooLarge),
        BadHttpRequestException => (400, "Malformed request body"),
        JsonException => (400, "Malformed request body"),
        ServerNotFound n => (404, n.Message),
        ServerItemNotFound n => (404, n.Message),
        MetadataLimitExceeded q => (403, q.Message),
        HostNotFound n => (404, n.Message),
        HostInUse c => (409, c.Message),
        HostAggregateConflict c => (409, c.Message),
        HostAggregateNotFound n => (404, n.Message),
        InvalidHostAggregateAction a => (400, a.Message),
        QuotaExceeded q => (403, q.Message),
        ServerGroupFull q => (403, q.Message),
        ServerGroupNotFound n => (404, n.Message),
        KeyPairNotFound n => (404, n.Message),
        KeyPairExists c => (409, c.Message),
        KeyPairLimitExceeded q => (403, q.Message),
        InvalidKeyPair k => (400, k.Message),
        NotFound n => (404, n.Message),
        ImageTooLarge t => (413, t.Message),
        ImageQuotaExceeded q => (413, q.Message),
        Forbidden f => (403, f.Message),
        ServerConflict c => (409, c.Message),
        ConcurrentUpdate c => (409, c.Message),
        Conflict c => (409, c.Message),
        _ when IsDatabaseUnavailable(e) => (503, DatabaseUnavailableMessage),
        _ => null,
    };

    public const string DatabaseUnavailableMessage = "The database is unavailable; the request was not carried out. Retry later.";

    /// <summary>
    /// PostgreSQL is away or cannot take work: no connection (refused, reset, pool timeout), shutting down or starting
    /// (57P0x), connection errors (08xxx) or out of resources, such as a full disk (53xxx). Npgsql's exception may
    /// arrive wrapped by Marten, hence the walk down the inner exceptions. Constraint violations, serialisation
    /// failures and bad SQL are not outages and stay what they are.
    /// </summary>
    private static bool IsDatabaseUnavailable(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Npgsql.PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
                        || pg.SqlState.StartsWith("53", StringComparison.Ordinal);
                case Npgsql.NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
            }
        }
        return false;
    }

    public const string UnexpectedMessage = "Unexpected API Error. Please report this at the project's issue tracker and attach the request id.";

    // gRPC callers (content-type application/grpc, application/grpc+proto, ...) get a gRPC status, not a JSON body.
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Nova's HTTP status as a gRPC status code (docs/grpc.md has the table).</summary>
    public static StatusCode GrpcCode(int status) => status switch
    {
        400 => StatusCode.InvalidArgument,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.NotFound,
        405 or 501 => StatusCode.Unimplemented,
        406 or 415 => StatusCode.InvalidArgument,
        409 => StatusCode.FailedPrecondition,
        413 or 429 => StatusCode.ResourceExhausted,
        499 => StatusCode.Cancelled,
        503 => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };

    /// <summary>
    /// A gRPC "trailers-only" answer, for failures decided before a gRPC service runs (no token, the
    /// wrong port): HTTP 200 whose only headers carry grpc-status and the percent-encoded grpc-message.
    /// </summary>
    private static Task WriteGrpcStatus(HttpContext http, StatusCode code, string message)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/grpc";
        http.Response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return Task.CompletedTask;
    }
}

/// <summary>Turns every failure into Nova's error shape; anything unexpected is a logged 500, never a stack trace.</summary>
public sealed class NovaErrorMiddleware(RequestDelegate next, ILogger<NovaErrorMiddleware> log)
{
    public async Task Invoke(HttpContext http)
    {
        try
        {
            await next(http);
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            var (status, message) = NovaError.Classify(e) ?? (e is OperationCanceledException && http.RequestAborted.IsCancellationRequested
                ? (499, "client closed request")
                : (500, NovaError.UnexpectedMessage));
            if (status == 500) log.LogError(e, "Unexpected error for {Method} {Path}", http.Request.Method, http.Request.Path);
            else if (status == 503) log.LogWarning("{Method} {Path} answered 503: {Reason}", http.Request.Method, http.Request.Path, e.GetBaseException().Message);
            await Write(http, status, message);
        }
    }

    private static Task Write(HttpContext http, int status, string message) => NovaError.Write(http, status, message);
}
