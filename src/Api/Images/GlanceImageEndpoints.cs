using Microsoft.AspNetCore.Http.Features;
using Nova.Api.Http;
using Nova.Commands.Images;
using Nova.Store.Images;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Images;

/// <summary>An image in Glance v2's flat shape, shared by the image API and the compute proxy.</summary>
public static class GlanceImage
{
    public static Dictionary<string, object?> Fields(ImageRecord i)
    {
        var id = i.Id.ToString();
        var fields = new Dictionary<string, object?>
        {
            ["id"] = id,
            ["name"] = i.Name,
            ["status"] = i.Status,
            ["disk_format"] = i.DiskFormat,
            ["container_format"] = i.ContainerFormat,
            ["size"] = i.Size,
            ["virtual_size"] = i.VirtualSize,
            ["checksum"] = i.Checksum,
            ["os_hash_algo"] = ImageRecord.HashAlgorithm,
            ["os_hash_value"] = i.HashValue,
            ["min_disk"] = i.MinDiskGb,
            ["min_ram"] = i.MinRamMb,
            ["visibility"] = i.Visibility,
            ["owner"] = i.OwnerProjectId,
            ["protected"] = false,
            ["tags"] = Array.Empty<string>(),
            ["created_at"] = NovaJson.Time(i.CreatedAt),
            ["updated_at"] = NovaJson.Time(i.UpdatedAt),
            ["self"] = $"/v2/images/{id}",
            ["file"] = $"/v2/images/{id}/file",
            ["schema"] = "/v2/schemas/image",
        };
        // Additional properties are top-level in Glance v2; the core fields above win.
        foreach (var (key, value) in i.Properties ?? []) fields.TryAdd(key, value);
        return fields;
    }
}

/// <summary>
/// The Glance v2 subset at <c>/image</c>: register, upload, download, list, show, delete — what
/// <c>openstack image create --file</c> and the compute hosts' image fetch use.
/// </summary>
public static class GlanceImageEndpoints
{
    private const int DefaultLimit = 25;
    private const int MaxLimit = 1000;

    /// <summary>Glance computes these itself; a client setting them gets Glance's 403.</summary>
    private static readonly string[] ReadOnly =
        ["status", "size", "virtual_size", "checksum", "os_hash_algo", "created_at", "updated_at", "self", "file", "schema", "owner", "direct_url", "locations"];

    public static void MapImageRegistry(this IEndpointRouteBuilder app)
    {
        var image = app.MapGroup("/image");
        image.MapGet("/", Versions);
        image.MapGet("/versions", Versions);
        var v2 = image.MapGroup("/v2");
        v2.MapPost("/images", Create);
        v2.MapGet("/images", List);
        v2.MapGet("/images/{id}", async (string id, IMediator m) => NovaJson.Json(GlanceImage.Fields(await m.Send(new GetImage(id)))));
        v2.MapDelete("/images/{id}", async (string id, IMediator m) =>
        {
            await m.Send(new DeleteImage(ParseId(id)));
            return Results.NoContent();
        });
        // Image data is bounded by the store's cap, not Nova's body limit.
        v2.MapPut("/images/{id}/file", Upload).WithMetadata(new BodySizeLimit(UploadImageDataHandler.MaxSize(app.ServiceProvider.GetRequiredService<IConfiguration>())));
        v2.MapGet("/images/{id}/file", Download);
    }

    private static IResult Versions(HttpContext http) => NovaJson.Json(new
    {
        versions = new[]
        {
            new { id = "v2.9", status = "CURRENT", links = new[] { new { rel = "self", href = $"{Links.Root(http)}/image/v2/" } } },
        },
    });

    private static async Task<IResult> Create(HttpContext http, IMediator mediator)
    {
        var body = await NovaJson.ReadObject(http.Request);
        if (ReadOnly.FirstOrDefault(body.ContainsKey) is { } key)
            throw new NovaError(403, $"Attribute '{key}' is read-only.");
        if (NovaJson.OptionalBool(body, "protected") == true)
            throw NovaError.BadRequest("Protected images are not supported by this registry.");
        Guid? id = null;
        if (NovaJson.OptionalString(body, "id") is { } requested)
            id = Guid.TryParse(requested, out var parsed) ? parsed : throw NovaError.BadRequest($"Invalid image id '{requested}': expected a UUID.");
        var image = await mediator.Send(new RegisterImage(
            id,
            NovaJson.OptionalString(body, "name"),
            NovaJson.RequireString(body, "disk_format"),
            NovaJson.OptionalString(body, "container_format") ?? "bare",
            NovaJson.OptionalString(body, "visibility") ?? "private",
            NovaJson.OptionalInt(body, "min_disk") ?? 0,
            NovaJson.OptionalInt(body, "min_ram") ?? 0,
            NovaJson.OptionalString(body, "os_hash_value")));
        http.Response.Headers.Location = $"{Links.Root(http)}/image/v2/images/{image.Id}";
        return NovaJson.Json(GlanceImage.Fields(image), 201);
    }

    /// <summary>The list's own parameters; any other names an additional property.</summary>
    private static readonly HashSet<string> ListParameters =
    [
        "name", "status", "visibility", "owner", "disk_format", "container_format", "marker", "limit", "sort_key", "sort_dir",
        "sort", "member_status", "os_hidden", "tag", "created_at", "updated_at", "size_min", "size_max", "protected", "id",
    ];

    private static IEnumerable<ImageRecord> Sorted(IEnumerable<ImageRecord> images, string key, string direction)
    {
        if (direction is not ("asc" or "desc")) throw NovaError.BadRequest($"Invalid sort direction: {direction}");
        Func<ImageRecord, IComparable> by = key switch
        {
            "created_at" => i => i.CreatedAt,
            "updated_at" => i => i.UpdatedAt,
            "name" => i => i.Name,
            "id" => i => i.Id,
            "size" => i => i.Size ?? 0,
            "status" => i => i.Status,
            _ => throw NovaError.BadRequest($"Invalid sort key: {key}"),
        };
        return direction == "asc" ? images.OrderBy(by).ThenBy(i => i.Id) : images.OrderByDescending(by).ThenByDescending(i => i.Id);
    }

    private static async Task<IResult> List(HttpContext http, IMediator mediator)
    {
        IEnumerable<ImageRecord> images = await mediator.Send(new ListImages());
        var q = http.Request.Query;
        if (q.Text("name") is { } name) images = images.Where(i => i.Name == name);
        if (q.Text("status") is { } status) images = images.Where(i => i.Status == status);
        if (q.Text("visibility") is { } visibility) images = images.Where(i => i.Visibility == visibility);
        if (q.Text("owner") is { } owner) images = images.Where(i => i.OwnerProjectId == owner);
        if (q.Text("disk_format") is { } diskFormat) images = images.Where(i => i.DiskFormat == diskFormat);
        if (q.Text("container_format") is { } containerFormat) images = images.Where(i => i.ContainerFormat == containerFormat);
        // Glance flattens additional properties: any other parameter filters on the property of its name.
        foreach (var (key, value) in q.Where(p => !ListParameters.Contains(p.Key)))
            images = images.Where(i => i.Properties.TryGetValue(key, out var has) && has == value.ToString());
        images = Sorted(images, q.Text("sort_key") ?? "created_at", q.Text("sort_dir") ?? "desc");
        if (q.Text("marker") is { } marker)
        {
            var list = images.ToList();
            var at = list.FindIndex(i => i.Id.ToString() == marker);
            if (at < 0) throw NovaError.BadRequest($"marker {marker} could not be found.");
            images = list.Skip(at + 1);
        }
        var limit = DefaultLimit;
        if (q.Text("limit") is { } text && (!int.TryParse(text, out limit) || limit < 0))
            throw NovaError.BadRequest("limit param must be a non-negative integer");
        var page = images.Take(Math.Min(limit, MaxLimit)).ToList();
        var body = new Dictionary<string, object?>
        {
            ["images"] = page.Select(GlanceImage.Fields).ToList(),
            ["schema"] = "/v2/schemas/images",
            ["first"] = "/v2/images",
        };
        if (page.Count > 0 && page.Count == limit)
        {
            var query = q.Where(p => p.Key != "marker").Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value.ToString())}")
                .Append($"marker={page[^1].Id}");
            body["next"] = $"/v2/images?{string.Join("&", query)}";
        }
        return NovaJson.Json(body);
    }

    private static async Task<IResult> Upload(string id, HttpContext http, IMediator mediator)
    {
        var imageId = ParseId(id);
        if (!string.Equals(http.Request.ContentType?.Split(';')[0].Trim(), "application/octet-stream", StringComparison.OrdinalIgnoreCase))
            throw new NovaError(415, $"Content-Type {http.Request.ContentType} is not supported: upload image data as application/octet-stream.");
        var declared = http.Request.Headers["Content-MD5"].ToString() is { Length: > 0 } contentMd5
            ? contentMd5
            : http.Request.Headers["x-image-meta-checksum"].ToString();
        await mediator.Send(new UploadImageData(imageId, http.Request.Body, declared.Length > 0 ? declared : null), http.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> Download(string id, HttpContext http, IMediator mediator)
    {
        var (image, path) = await mediator.Send(new GetImageData(id));
        if (path is null) return Results.NoContent();
        // Glance's Content-MD5 is the hex checksum, which glanceclient verifies after the download.
        http.Response.Headers["Content-MD5"] = image.Checksum;
        return Results.File(path, "application/octet-stream", enableRangeProcessing: true);
    }

    private static Guid ParseId(string id) =>
        Guid.TryParse(id, out var parsed) ? parsed : throw NovaError.NotFound($"No image found with ID {id}");
}
