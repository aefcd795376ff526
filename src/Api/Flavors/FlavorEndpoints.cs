using Nova.Api.Http;
using Nova.Commands.Flavors;
using Nova.Commands.Requests;
using Nova.Store.Flavors;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Flavors;

public static class FlavorEndpoints
{
    public static void MapFlavors(this IEndpointRouteBuilder api)
    {
        api.MapGet("/flavors", (HttpContext http, IMediator m, Caller c) => List(http, m, c, detail: false));
        api.MapGet("/flavors/detail", (HttpContext http, IMediator m, Caller c) => List(http, m, c, detail: true));
        api.MapGet("/flavors/{id}", async (string id, HttpContext http, IMediator m) =>
            NovaJson.Json(new { flavor = Detail(http, await m.Send(new GetFlavor(id))) }));
        api.MapGet("/flavors/{id}/os-extra_specs", async (string id, IMediator m) =>
            NovaJson.Json(new { extra_specs = (await m.Send(new GetFlavor(id))).ExtraSpecs }));
        api.MapPost("/flavors", async (HttpContext http, IMediator m) =>
        {
            var flavor = NovaJson.RequireObject(await NovaJson.ReadObject(http.Request), "flavor");
            var created = await m.Send(new CreateFlavor(
                Id: flavor["id"] is null ? null : NovaJson.OptionalString(flavor, "id"),
                Name: NovaJson.RequireString(flavor, "name"),
                RamMb: NovaJson.OptionalInt(flavor, "ram") ?? throw NovaError.BadRequest("Invalid input for field/attribute ram. Value: missing. 'ram' is a required property"),
                Vcpus: NovaJson.OptionalInt(flavor, "vcpus") ?? throw NovaError.BadRequest("Invalid input for field/attribute vcpus. Value: missing. 'vcpus' is a required property"),
                DiskGb: NovaJson.OptionalInt(flavor, "disk") ?? throw NovaError.BadRequest("Invalid input for field/attribute disk. Value: missing. 'disk' is a required property"),
                EphemeralGb: NovaJson.OptionalInt(flavor, "OS-FLV-EXT-DATA:ephemeral") ?? 0,
                SwapMb: flavor["swap"] is { } swap && swap.ToJsonString() != "\"\"" ? NovaJson.OptionalInt(flavor, "swap") ?? 0 : 0,
                RxtxFactor: NovaJson.OptionalNumber(flavor, "rxtx_factor") ?? 1.0,
                IsPublic: NovaJson.OptionalBool(flavor, "os-flavor-access:is_public") ?? true,
                Description: NovaJson.OptionalString(flavor, "description")));
            return NovaJson.Json(new { flavor = Detail(http, created) });
        });
        api.MapDelete("/flavors/{id}", async (string id, IMediator m) =>
        {
            await m.Send(new DeleteFlavor(id));
            return Results.StatusCode(202);
        });
    }

    private static async Task<IResult> List(HttpContext http, IMediator mediator, Caller caller, bool detail)
    {
        var q = http.Request.Query;
        var limit = q.Limit();
        var page = await mediator.Send(new ListFlavors(caller.SeesPrivateFlavors(),
            // Nova ignores a minRam/minDisk it cannot read.
            MinRamMb: int.TryParse(q.Text("minRam"), out var ram) ? ram : null,
            MinDiskGb: int.TryParse(q.Text("minDisk"), out var disk) ? disk : null,
            Marker: q.Text("marker"),
            Limit: limit));
        var body = new Dictionary<string, object?>
        {
            ["flavors"] = page.Select(f => detail ? Detail(http, f) : Summary(http, f)).ToList(),
        };
        if (Links.Next(http, detail ? "flavors/detail" : "flavors", limit, page.Count, page.LastOrDefault()?.Id) is { } next)
            body["flavors_links"] = next;
        return NovaJson.Json(body);
    }

    private static Dictionary<string, object?> Summary(HttpContext http, FlavorRecord f)
    {
        var body = new Dictionary<string, object?> { ["id"] = f.Id, ["name"] = f.Name, ["links"] = Links.For(http, "flavors", f.Id) };
        if (MicroversionMiddleware.Of(http).AtLeast(55)) body["description"] = f.Description;
        return body;
    }

    private static Dictionary<string, object?> Detail(HttpContext http, FlavorRecord f)
    {
        var body = Summary(http, f);
        body["ram"] = f.RamMb;
        body["vcpus"] = f.Vcpus;
        body["disk"] = f.DiskGb;
        body["OS-FLV-EXT-DATA:ephemeral"] = f.EphemeralGb;
        body["OS-FLV-DISABLED:disabled"] = false;
        body["swap"] = f.SwapMb == 0 ? "" : f.SwapMb; // Nova's quirk before 2.75
        body["rxtx_factor"] = f.RxtxFactor;
        body["os-flavor-access:is_public"] = f.IsPublic;
        if (MicroversionMiddleware.Of(http).AtLeast(61)) body["extra_specs"] = f.ExtraSpecs;
        return body;
    }
}
