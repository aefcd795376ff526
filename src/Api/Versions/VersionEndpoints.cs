using Nova.Api.Http;

namespace Nova.Api.Versions;

/// <summary>Version discovery: <c>GET /</c> (v2.0 SUPPORTED, v2.1 CURRENT) and <c>GET /v2.1</c>.</summary>
public static class VersionEndpoints
{
    public static void MapVersions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http) => NovaJson.Json(new
        {
            versions = new object[] { V20(http), V21(http) },
        }));
        // Matches /v2.1 and /v2.1/ alike
        app.MapGet("/v2.1", (HttpContext http) => NovaJson.Json(new { version = V21(http) }));
    }

    private static object V20(HttpContext http) => new
    {
        id = "v2.0", status = "SUPPORTED", version = "", min_version = "", updated = "2011-01-21T11:33:21Z",
        links = new[] { new { rel = "self", href = $"{Links.Root(http)}/v2/" } },
    };

    private static object V21(HttpContext http) => new
    {
        id = "v2.1", status = "CURRENT", version = Microversion.Max.ToString(), min_version = Microversion.Min.ToString(),
        updated = "2013-07-23T11:33:21Z",
        links = new object[]
        {
            new { rel = "self", href = $"{Links.Root(http)}/v2.1/" },
            new { rel = "describedby", type = "text/html", href = "https://docs.openstack.org/" },
        },
        media_types = new[] { new { @base = "application/json", type = "application/vnd.openstack.compute+json;version=2.1" } },
    };
}
