namespace Nova.Api.Http;

/// <summary>Nova's self and bookmark links, built from the address the client used.</summary>
public static class Links
{
    public static string Root(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";

    public static object[] For(HttpContext http, string collection, string id) =>
    [
        new { rel = "self", href = $"{Root(http)}/v2.1/{collection}/{id}" },
        new { rel = "bookmark", href = $"{Root(http)}/{collection}/{id}" },
    ];

    /// <summary>The next-page link when a page came back full.</summary>
    public static object[]? Next(HttpContext http, string path, int? limit, int returned, string? lastId)
    {
        if (limit is null || returned < limit || lastId is null) return null;
        var query = http.Request.Query.Where(q => q.Key != "marker")
            .Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"marker={lastId}");
        return [new { rel = "next", href = $"{Root(http)}/v2.1/{path}?{string.Join("&", query)}" }];
    }

    /// <summary>
    /// Nova's collection link: a next page whenever this one is full (its limit, or the largest page when none was
    /// asked), carrying every parameter, repeated ones included (several sort keys), with the marker replaced.
    /// </summary>
    public static object[]? NextPage(HttpContext http, string path, int? limit, int maxLimit, int returned, string? lastId)
    {
        var pageSize = Math.Min(limit ?? maxLimit, maxLimit);
        if (pageSize == 0 || returned < pageSize || lastId is null) return null;
        var query = http.Request.Query.Where(q => q.Key != "marker")
            .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"marker={lastId}");
        return [new { rel = "next", href = $"{Root(http)}/v2.1/{path}?{string.Join("&", query)}" }];
    }
}
