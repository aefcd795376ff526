namespace Nova.Api.Http;

/// <summary>
/// Nova's self and bookmark links, built from the address the client used: with the project id in the path when
/// the client put it there (<c>/v2.1/{project_id}/servers</c>), as Nova's view builders do.
/// </summary>
public static class Links
{
    public static string Root(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";

    /// <summary>The compute API's base: <c>…/v2.1</c>, or <c>…/v2.1/{project_id}</c> for a client that used that form.</summary>
    public static string Compute(HttpContext http) => $"{Root(http)}/v2.1{ProjectSegment(http)}";

    /// <summary>The version-less base of bookmark links: the root, or <c>…/{project_id}</c>.</summary>
    public static string Bookmark(HttpContext http) => $"{Root(http)}{ProjectSegment(http)}";

    public static object[] For(HttpContext http, string collection, string id) =>
    [
        new { rel = "self", href = $"{Compute(http)}/{collection}/{id}" },
        new { rel = "bookmark", href = $"{Bookmark(http)}/{collection}/{id}" },
    ];

    /// <summary>The next-page link when a page came back full.</summary>
    public static object[]? Next(HttpContext http, string path, int? limit, int returned, string? lastId)
    {
        if (limit is null || returned < limit || lastId is null) return null;
        var query = http.Request.Query.Where(q => q.Key != "marker")
            .Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"marker={lastId}");
        return [new { rel = "next", href = $"{Compute(http)}/{path}?{string.Join("&", query)}" }];
    }

    private static string ProjectSegment(HttpContext http) =>
        ProjectInPathMiddleware.ProjectOf(http) is { } project ? $"/{project}" : "";

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
        return [new { rel = "next", href = $"{Compute(http)}/{path}?{string.Join("&", query)}" }];
    }
}
