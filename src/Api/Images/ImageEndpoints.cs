using Marten;
using Mediator;
using Nova.Api.Http;
using Nova.Commands.Images;
using Nova.Commands.Requests;
using Nova.Store.Images;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Images;

public sealed record ListImages : IQuery<IReadOnlyList<ImageRecord>>;

public sealed record GetImage(string Id) : IQuery<ImageRecord>;

/// <summary>An image and the file holding its data, null while none has been uploaded.</summary>
public sealed record GetImageData(string Id) : IQuery<(ImageRecord Image, string? Path)>;

public sealed class ImageQueries(IQuerySession session, Caller caller, IConfiguration config) :
    IQueryHandler<ListImages, IReadOnlyList<ImageRecord>>, IQueryHandler<GetImage, ImageRecord>,
    IQueryHandler<GetImageData, (ImageRecord Image, string? Path)>
{
    // Newest first, ties broken by id so that marker paging is stable.
    public async ValueTask<IReadOnlyList<ImageRecord>> Handle(ListImages query, CancellationToken ct) =>
        (await session.Query<ImageRecord>().OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id).ToListAsync(ct)).Where(Visible).ToList();

    public async ValueTask<(ImageRecord Image, string? Path)> Handle(GetImageData query, CancellationToken ct)
    {
        var image = await Handle(new GetImage(query.Id), ct);
        var path = new ImageStore(config).PathOf(image.Id);
        return (image, image.Status == "active" && File.Exists(path) ? path : null);
    }

    public async ValueTask<ImageRecord> Handle(GetImage query, CancellationToken ct)
    {
        var image = Guid.TryParse(query.Id, out var id) ? await session.LoadAsync<ImageRecord>(id, ct) : null;
        return image is not null && Visible(image) ? image : throw new NotFound($"Image {query.Id} could not be found.");
    }

    private bool Visible(ImageRecord image) => image.IsVisibleTo(caller.ProjectId, caller.IsAdmin);
}

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
        if (q["name"].ToString() is { Length: > 0 } name) images = images.Where(i => i.Name == name);
        if (q["status"].ToString() is { Length: > 0 } status) images = images.Where(i => i.Status.Equals(status, StringComparison.OrdinalIgnoreCase));
        if (q["marker"].ToString() is { Length: > 0 } marker)
            images = images.SkipWhile(i => i.Id.ToString() != marker).Skip(1);
        if (int.TryParse(q["limit"].ToString(), out var limit)) images = images.Take(limit);
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
            ["metadata"] = new Dictionary<string, string>(),
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
