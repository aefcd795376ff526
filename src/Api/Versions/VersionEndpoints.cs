using Nova.Api.Http;

namespace Nova.Api.Versions;

/// <summary>
/// Version discovery as Nova's <c>versions.py</c> and its view: <c>GET /</c> lists v2.0 and v2.1 with a self link
/// only (no media types: Tempest's list schema refuses them); <c>GET /v2.1</c> and <c>/v2.1/versions/{id}</c> show
/// one version with its <c>describedby</c> link and <c>media-types</c>.
/// </summary>
public static class VersionEndpoints
{
    private static readonly Dictionary<string, VersionDocument> Versions = new()
    {
        ["v2.0"] = new("v2.0", "SUPPORTED", "", "", "2011-01-21T11:33:21Z", "application/vnd.openstack.compute+json;version=2"),
        ["v2.1"] = new("v2.1", "CURRENT", Microversion.Max.ToString(), Microversion.Min.ToString(), "2013-07-23T11:33:21Z",
            "application/vnd.openstack.compute+json;version=2.1"),
    };

    public static void MapVersions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http) => NovaJson.Json(new
        {
            versions = Versions.Values.Select(v => new
            {
                id = v.Id, status = v.Status, version = v.Version, min_version = v.MinVersion, updated = v.Updated,
                links = new[] { new { rel = "self", href = $"{Links.Root(http)}/{(v.Id == "v2.1" ? "v2.1" : "v2")}/" } },
            }),
        }));
        // Matches /v2.1 and /v2.1/ alike
        app.MapGet("/v2.1", (HttpContext http) => One(http, "v2.1"));
    }

    /// <summary><c>GET /v2.1/versions/{id}</c> (authenticated, like every other route under /v2.1).</summary>
    public static void MapVersionDocuments(this IEndpointRouteBuilder api) =>
        api.MapGet("/versions/{id}", (string id, HttpContext http) => One(http, id));

    private static IResult One(HttpContext http, string id)
    {
        if (!Versions.TryGetValue(id, out var v)) throw NovaError.NotFound("The resource could not be found.");
        return NovaJson.Json(new
        {
            version = new Dictionary<string, object>
            {
                ["id"] = v.Id, ["status"] = v.Status, ["version"] = v.Version, ["min_version"] = v.MinVersion, ["updated"] = v.Updated,
                ["links"] = new object[]
                {
                    new { rel = "self", href = $"{Links.Root(http)}/v2.1/" },
                    new { rel = "describedby", type = "text/html", href = "http://docs.openstack.org/" },
                },
                ["media-types"] = new[] { new { @base = "application/json", type = v.MediaType } },
            },
        });
    }

    private sealed record VersionDocument(string Id, string Status, string Version, string MinVersion, string Updated, string MediaType);
}
