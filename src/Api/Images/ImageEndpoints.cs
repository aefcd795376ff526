using Nova.Api.Http;
using Nova.Api.Servers;
using Nova.Commands.Images;
using Nova.Commands.Requests;
using Nova.Commands.Servers.Metadata;
using Nova.Store.Images;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Images;

/// <summary>
/// The compute API's image proxy (<c>/images</c>, Nova's <c>images.py</c> and <c>image_metadata.py</c>): Nova's
/// compute image view, not Glance's (clients that want Glance's shape find the registry at <c>/image</c> in the
/// catalog). Nova removed the proxy at 2.36 and its metadata routes at 2.39: above those, 404.
/// </summary>
public static class ImageEndpoints
{
    /// <summary>Nova's <c>MAX_PROXY_API_SUPPORT_VERSION</c>.</summary>
    private const int LastProxyMinor = 35;
    private const int LastImageMetadataMinor = 38;
    /// <summary>Nova's <c>[api]max_limit</c>.</summary>
    private const int MaxLimit = 1000;

    public static void MapImages(this IEndpointRouteBuilder api)
    {
        api.MapGet("/images", (HttpContext http, IMediator m) => List(http, m, detail: false));
        api.MapGet("/images/detail", (HttpContext http, IMediator m) => List(http, m, detail: true));
        api.MapGet("/images/{id}", async (string id, HttpContext http, IMediator m) =>
        {
            Proxied(http, LastProxyMinor);
            return NovaJson.Json(new { image = Detail(http, await Find(m, id)) });
        });
        api.MapDelete("/images/{id}", async (string id, HttpContext http, IMediator m) =>
        {
            Proxied(http, LastProxyMinor);
            var image = await Find(m, id);
            await m.Send(new DeleteImage(image.Id));
            return Results.NoContent();
        });

        api.MapGet("/images/{id}/metadata", async (string id, HttpContext http, IMediator m) =>
        {
            Proxied(http, LastImageMetadataMinor);
            return NovaJson.Json(new { metadata = (await Find(m, id)).Properties });
        });
        api.MapGet("/images/{id}/metadata/{key}", async (string id, string key, HttpContext http, IMediator m) =>
        {
            Proxied(http, LastImageMetadataMinor);
            return (await Find(m, id)).Properties.TryGetValue(key, out var value)
                ? NovaJson.Json(new { meta = new Dictionary<string, string> { [key] = value } })
                : throw NovaError.NotFound("The resource could not be found.");
        });
        api.MapPost("/images/{id}/metadata", (string id, HttpContext http, IMediator m) => SetAll(id, MetadataChange.Merge, http, m));
        api.MapPut("/images/{id}/metadata", (string id, HttpContext http, IMediator m) => SetAll(id, MetadataChange.Replace, http, m));
        api.MapPut("/images/{id}/metadata/{key}", async (string id, string key, HttpContext http, IMediator m) =>
        {
            Proxied(http, LastImageMetadataMinor);
            var meta = ServerMetadataEndpoints.ItemsOf(await NovaJson.ReadObject(http.Request), "meta");
            if (meta.Count != 1)
                throw NovaError.BadRequest($"Invalid input for field/attribute meta. Value: {meta.Count} items. " +
                                           (meta.Count == 0 ? "{} does not have enough properties" : "has too many properties"));
            if (!meta.ContainsKey(key)) throw NovaError.BadRequest("Request body and URI mismatch");
            await m.Send(new SetImageMetadata(ImageId(id), meta, MetadataChange.Item));
            return NovaJson.Json(new { meta });
        });
        api.MapDelete("/images/{id}/metadata/{key}", async (string id, string key, HttpContext http, IMediator m) =>
        {
            Proxied(http, LastImageMetadataMinor);
            await m.Send(new DeleteImageMetadataItem(ImageId(id), key));
            return Results.NoContent();
        });
    }

    private static async Task<IResult> SetAll(string id, MetadataChange change, HttpContext http, IMediator mediator)
    {
        Proxied(http, LastImageMetadataMinor);
        var items = ServerMetadataEndpoints.ItemsOf(await NovaJson.ReadObject(http.Request), "metadata");
        var metadata = await mediator.Send(new SetImageMetadata(ImageId(id), items, change));
        return NovaJson.Json(new { metadata });
    }

    /// <summary>Nova's version-gated routes: a microversion above the route's last one is 404, as for a route Nova does not have.</summary>
    private static void Proxied(HttpContext http, int lastMinor)
    {
        if (MicroversionMiddleware.Of(http).AtLeast(lastMinor + 1)) throw NovaError.NotFound("The resource could not be found.");
    }

    private static Guid ImageId(string id) => Guid.TryParse(id, out var guid) ? guid : throw new NotFound("Image not found.");

    private static async Task<ImageRecord> Find(IMediator mediator, string id)
    {
        try
        {
            return await mediator.Send(new GetImage(id));
        }
        catch (NotFound)
        {
            throw new NotFound("Image not found.");
        }
    }

    /// <summary>Nova's filters (name, status, changes-since, server, type, minRam, minDisk, property-*), as Glance applies them.</summary>
    private static async Task<IResult> List(HttpContext http, IMediator mediator, bool detail)
    {
        Proxied(http, LastProxyMinor);
        var q = http.Request.Query;
        IEnumerable<ImageRecord> images = await mediator.Send(new ListImages());
        if (q.Text("name") is { } name) images = images.Where(i => i.Name == name);
        if (q.Text("status") is { } status) images = images.Where(i => i.Status.Equals(status, StringComparison.OrdinalIgnoreCase));
        if (q.Time("changes-since") is { } since) images = images.Where(i => i.UpdatedAt >= since);
        if (q.Text("server") is { } server)
        {
            // A server's id or its URL: Nova keeps what follows the last slash.
            var serverId = server[(server.LastIndexOf('/') + 1)..];
            images = images.Where(i => i.Properties.GetValueOrDefault("instance_uuid") == serverId);
        }
        if (q.Text("type") is { } type) images = images.Where(i => i.Properties.GetValueOrDefault("image_type") == type);
        if (q.Text("minRam") is { } minRam) images = images.Where(i => i.MinRamMb >= AtLeast("minRam", minRam));
        if (q.Text("minDisk") is { } minDisk) images = images.Where(i => i.MinDiskGb >= AtLeast("minDisk", minDisk));
        foreach (var (key, value) in q.Where(p => p.Key.StartsWith("property-", StringComparison.Ordinal)))
            images = images.Where(i => i.Properties.GetValueOrDefault(key["property-".Length..]) == value.ToString());
        if (q.Text("marker") is { } marker)
        {
            var all = images.ToList();
            var at = all.FindIndex(i => i.Id.ToString() == marker);
            if (at < 0) throw NovaError.BadRequest("Invalid marker. Image could not be found.");
            images = all.Skip(at + 1);
        }
        var limit = Math.Min(q.Limit() ?? MaxLimit, MaxLimit);
        var page = images.Take(limit).ToList();
        var body = new Dictionary<string, object>
        {
            ["images"] = page.Select(i => detail ? Detail(http, i) : Basic(http, i)).ToList(),
        };
        if (page.Count > 0 && Links.Next(http, detail ? "images/detail" : "images", limit, page.Count, page[^1].Id.ToString()) is { } next)
            body["images_links"] = next;
        return NovaJson.Json(body);
    }

    private static int AtLeast(string key, string text) =>
        int.TryParse(text, out var value) ? value : throw NovaError.BadRequest($"Invalid input for query parameters {key}. Value: {text}. '{text}' is not an integer");

    private static Dictionary<string, object?> Basic(HttpContext http, ImageRecord i) => new()
    {
        ["id"] = i.Id.ToString(),
        ["name"] = i.Name,
        ["links"] = ImageLinks(http, i.Id),
    };

    /// <summary>Nova's <c>views/images.py</c> show: Glance's state in Nova's words, the snapshot's server when it is one.</summary>
    private static Dictionary<string, object?> Detail(HttpContext http, ImageRecord i)
    {
        var body = new Dictionary<string, object?>
        {
            ["id"] = i.Id.ToString(),
            ["name"] = i.Name,
            ["minRam"] = i.MinRamMb,
            ["minDisk"] = i.MinDiskGb,
            ["metadata"] = new Dictionary<string, string>(i.Properties),
            ["created"] = NovaJson.Time(i.CreatedAt),
            ["updated"] = NovaJson.Time(i.UpdatedAt),
            ["status"] = i.Status switch
            {
                "active" => "ACTIVE",
                "queued" or "saving" => "SAVING",
                "deleted" or "pending_delete" => "DELETED",
                "killed" => "ERROR",
                _ => "UNKNOWN",
            },
            ["progress"] = i.Status switch { "queued" => 25, "saving" => 50, "active" => 100, _ => 0 },
            ["OS-EXT-IMG-SIZE:size"] = i.Size,
            ["links"] = ImageLinks(http, i.Id),
        };
        if (i.Properties.TryGetValue("instance_uuid", out var server))
            body["server"] = new { id = server, links = Links.For(http, "servers", server) };
        if (i.Properties.TryGetValue("auto_disk_config", out var auto))
            body["OS-DCF:diskConfig"] = QueryParameters.Flag(auto) == true ? "AUTO" : "MANUAL";
        return body;
    }

    /// <summary>Self and bookmark as every compute resource, and the image in the registry as the alternate.</summary>
    private static object[] ImageLinks(HttpContext http, Guid id) =>
    [
        .. Links.For(http, "images", id.ToString()),
        new { rel = "alternate", type = "application/vnd.openstack.image", href = $"{Links.Root(http)}/image/images/{id}" },
    ];
}
