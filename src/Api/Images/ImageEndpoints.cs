using Nova.Api.Http;
using Nova.Store.Images;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Images;

/// <summary>
/// The compute API's /images proxy. Each image carries both the compute proxy's fields and
/// Glance v2's flat fields, because the openstack CLI, pointed at the compute endpoint alone,
/// reads images here with its Glance client while novaclient reads the compute shape.
/// </summary>
public static class ImageEndpoints
{
    public static void MapImages(this IEndpointRouteBuilder api)
    {
        api.MapGet("/images", (HttpContext http, IMediator m) => List(http, m));
        api.MapGet("/images/detail", (HttpContext http, IMediator m) => List(http, m));
        api.MapGet("/images/{id}", async (string id, HttpContext http, IMediator m) =>
        {
            var image = await m.Send(new GetImage(id));
            var body = Render(http, image);
            body["image"] = Render(http, image, computeOnly: true);
            return NovaJson.Json(body);
        });
    }

    private static async Task<IResult> List(HttpContext http, IMediator mediator)
    {
        IEnumerable<ImageRecord> images = await mediator.Send(new ListImages());
        var q = http.Request.Query;
        if (q.Text("name") is { } name) images = images.Where(i => i.Name == name);
        if (q.Text("status") is { } status) images = images.Where(i => i.Status.Equals(status, StringComparison.OrdinalIgnoreCase));
        if (q.Text("marker") is { } marker)
            images = images.SkipWhile(i => i.Id.ToString() != marker).Skip(1);
        if (int.TryParse(q.Text("limit"), out var limit)) images = images.Take(limit);
        return NovaJson.Json(new { images = images.Select(i => Render(http, i)).ToList() });
    }

    private static Dictionary<string, object?> Render(HttpContext http, ImageRecord i, bool computeOnly = false)
    {
        var id = i.Id.ToString();
        var body = new Dictionary<string, object?>
        {
            ["id"] = id,
            ["name"] = i.Name,
            ["links"] = new object[]
            {
                new { rel = "self", href = $"{Links.Root(http)}/v2.1/images/{id}" },
                new { rel = "bookmark", href = $"{Links.Root(http)}/images/{id}" },
            },
            ["minDisk"] = i.MinDiskGb,
            ["minRam"] = i.MinRamMb,
            ["progress"] = i.Status == "active" ? 100 : 0,
            ["created"] = NovaJson.Time(i.CreatedAt),
            ["updated"] = NovaJson.Time(i.UpdatedAt),
            ["metadata"] = new Dictionary<string, string>(i.Properties ?? []),
            ["OS-EXT-IMG-SIZE:size"] = i.Size,
        };
        if (computeOnly)
        {
            // Nova's proxy names Glance's states its own way (nova/api/openstack/compute/images.py).
            body["status"] = i.Status switch { "queued" or "saving" => "SAVING", "killed" => "ERROR", var s => s.ToUpperInvariant() };
            return body;
        }
        foreach (var (key, value) in GlanceImage.Fields(i)) body[key] = value;
        return body;
    }
}
