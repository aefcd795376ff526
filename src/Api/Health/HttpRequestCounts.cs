using System.Collections.Concurrent;

namespace Nova.Api.Health;

/// <summary>Counts answered requests by status code, for /metrics.</summary>
public sealed class HttpRequestCounts
{
    private readonly ConcurrentDictionary<int, long> counts = new();
    public IReadOnlyDictionary<int, long> ByStatus => counts;
    public void Count(int status) => counts.AddOrUpdate(status, 1, (_, n) => n + 1);
}

public sealed class HttpRequestCountsMiddleware(RequestDelegate next, HttpRequestCounts counts)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try { await next(http); }
        finally { counts.Count(http.Response.StatusCode); }
    }
}
