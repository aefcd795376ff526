using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Nova.Api.Http;

/// <summary>
/// Nova's <c>max_request_body_size</c> (oslo.middleware's sizelimit, 114688 bytes): a bigger body is 413 before
/// anything reads it. A route that takes more (image data) says so with <see cref="IRequestSizeLimitMetadata"/>.
/// gRPC calls are bounded by gRPC's own message size limit.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    public const long NovaMaxBytes = 114688;
    public const string TooLarge = "Request is too large.";

    public Task Invoke(HttpContext http)
    {
        if (NovaError.IsGrpc(http.Request)) return next(http);
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } own ? own.MaxRequestBodySize : NovaMaxBytes;
        if (http.Request.ContentLength > limit) throw new NovaError(413, TooLarge);
        // Kestrel enforces it while the body streams in (a chunked body has no length to check up front).
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        return next(http);
    }
}

/// <summary>A route's own body limit (null: none at the HTTP level, the handler bounds what it streams).</summary>
public sealed record BodySizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
