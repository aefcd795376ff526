using System.Globalization;
using Nova.Api.Http;
using Nova.Commands.Flavors;
using Nova.Commands.Requests;
using Nova.Store.Flavors;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Flavors;

/// <summary>/flavors: Nova's flavors and flavor-manage APIs; extra specs and access lists in their own files.</summary>
public static class FlavorEndpoints
{
    public static void MapFlavors(this IEndpointRouteBuilder api)
    {
        api.MapGet("/flavors", (HttpContext http, IMediator m, Caller c) => List(http, m, c, detail: false));
        api.MapGet("/flavors/detail", (HttpContext http, IMediator m, Caller c) => List(http, m, c, detail: true));
        api.MapGet("/flavors/{id}", async (string id, HttpContext http, IMediator m, Caller c) =>
            NovaJson.Json(new { flavor = Detail(http, c, await m.Send(new GetFlavor(id))) }));
        api.MapPost("/flavors", async (HttpContext http, IMediator m, Caller c) =>
        {
            var created = await m.Send(FlavorCreateBody.Read(await NovaJson.ReadObject(http.Request), MicroversionMiddleware.Of(http)));
            return NovaJson.Json(new { flavor = Detail(http, c, created) });
        });
        api.MapPut("/flavors/{id}", async (string id, HttpContext http, IMediator m, Caller c) =>
        {
            // Nova's update exists from 2.55; below it the route does not.
            if (!MicroversionMiddleware.Of(http).AtLeast(55)) throw NovaError.NotFound("The resource could not be found.");
            var description = FlavorUpdateBody.Read(await NovaJson.ReadObject(http.Request));
            return NovaJson.Json(new { flavor = Detail(http, c, await m.Send(new UpdateFlavorDescription(id, description))) });
        });
        api.MapDelete("/flavors/{id}", async (string id, IMediator m) =>
        {
            await m.Send(new DeleteFlavor(id));
            return Results.StatusCode(202);
        });
        api.MapFlavorExtraSpecs();
        api.MapFlavorAccess();
    }

    private static async Task<IResult> List(HttpContext http, IMediator mediator, Caller caller, bool detail)
    {
        var q = http.Request.Query;
        var limit = q.Limit();
        var page = await mediator.Send(new ListFlavors(
            // Only an admin's is_public means anything (Nova reads it for admins alone).
            IsPublic: caller.SeesAllFlavors() ? IsPublicFilter(q) : true,
            MinRamMb: MinimumFilter(q, "minRam"),
            MinDiskGb: MinimumFilter(q, "minDisk"),
            Marker: q.Text("marker"),
            Limit: limit,
            SortKey: q.Text("sort_key") ?? "flavorid",
            Descending: q.Text("sort_dir") switch
            {
                null or "asc" => false,
                "desc" => true,
                var other => throw NovaError.BadRequest($"Invalid input for query parameters sort_dir. Value: {other}. '{other}' is not one of ['asc', 'desc']"),
            }));
        var body = new Dictionary<string, object?>
        {
            ["flavors"] = page.Select(f => detail ? Detail(http, caller, f) : Summary(http, f)).ToList(),
        };
        if (Links.Next(http, detail ? "flavors/detail" : "flavors", limit, page.Count, page.LastOrDefault()?.Id) is { } next)
            body["flavors_links"] = next;
        return NovaJson.Json(body);
    }

    /// <summary>Nova's <c>_parse_is_public</c>: absent is true, "none" is no filter, else oslo's strict boolean words.</summary>
    private static bool? IsPublicFilter(IQueryCollection q) =>
        q.Text("is_public") switch
        {
            null => true,
            var text when text.Equals("none", StringComparison.OrdinalIgnoreCase) => null,
            var text => FlavorBodyRules.StrictBoolean(text) ?? throw NovaError.BadRequest($"Invalid is_public filter [{text}]"),
        };

    /// <summary>minRam / minDisk: Python's int() of the text, else Nova's 400.</summary>
    private static int? MinimumFilter(IQueryCollection q, string key) =>
        !q.TryGetValue(key, out var values) || values.Count == 0 ? null
        : int.TryParse(values[0], NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
            CultureInfo.InvariantCulture, out var value) ? value
        : throw NovaError.BadRequest($"Invalid {key} filter [{values[0]}]");

    private static Dictionary<string, object?> Summary(HttpContext http, FlavorRecord f)
    {
        var body = new Dictionary<string, object?> { ["id"] = f.Id, ["name"] = f.Name, ["links"] = Links.For(http, "flavors", f.Id) };
        if (MicroversionMiddleware.Of(http).AtLeast(55)) body["description"] = f.Description;
        return body;
    }

    /// <summary>Nova's flavor view: description from 2.55, extra_specs from 2.61 when the caller may read them, swap 0 (not "") from 2.75.</summary>
    public static Dictionary<string, object?> Detail(HttpContext http, Caller caller, FlavorRecord f)
    {
        var version = MicroversionMiddleware.Of(http);
        var body = Summary(http, f);
        body["ram"] = f.RamMb;
        body["vcpus"] = f.Vcpus;
        body["disk"] = f.DiskGb;
        body["OS-FLV-EXT-DATA:ephemeral"] = f.EphemeralGb;
        body["OS-FLV-DISABLED:disabled"] = false;
        body["swap"] = f.SwapMb == 0 && !version.AtLeast(75) ? "" : f.SwapMb;
        body["rxtx_factor"] = f.RxtxFactor;
        body["os-flavor-access:is_public"] = f.IsPublic;
        if (version.AtLeast(61) && caller.Allows("os_compute_api:os-flavor-extra-specs:index")) body["extra_specs"] = f.ExtraSpecs;
        return body;
    }
}
