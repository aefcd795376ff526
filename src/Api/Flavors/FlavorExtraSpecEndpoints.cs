using Nova.Api.Http;
using Nova.Commands.Flavors;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Flavors;

/// <summary>/flavors/{id}/os-extra_specs: Nova's flavor extra-specs API, its five routes, schemas and codes.</summary>
public static class FlavorExtraSpecEndpoints
{
    public static void MapFlavorExtraSpecs(this IEndpointRouteBuilder api)
    {
        api.MapGet("/flavors/{id}/os-extra_specs", async (string id, IMediator m) =>
            NovaJson.Json(new { extra_specs = (await m.Send(new GetFlavor(id))).ExtraSpecs }));
        api.MapGet("/flavors/{id}/os-extra_specs/{key}", async (string id, string key, IMediator m) =>
            (await m.Send(new GetFlavor(id))).ExtraSpecs.TryGetValue(key, out var value)
                ? NovaJson.Json(new Dictionary<string, string> { [key] = value })
                : throw NovaError.NotFound($"Flavor {id} has no extra specs with key {key}."));
        // Nova answers the request's own items (a number stays a number there; it is stored as its text).
        api.MapPost("/flavors/{id}/os-extra_specs", async (string id, HttpContext http, IMediator m) =>
        {
            var body = await NovaJson.ReadObject(http.Request);
            await m.Send(new SetFlavorExtraSpecs(id, FlavorExtraSpecsBody.ReadMerge(body)));
            return NovaJson.Json(body);
        });
        api.MapPut("/flavors/{id}/os-extra_specs/{key}", async (string id, string key, HttpContext http, IMediator m) =>
        {
            var body = await NovaJson.ReadObject(http.Request);
            await m.Send(new SetFlavorExtraSpecs(id, FlavorExtraSpecsBody.ReadItem(body, key), Item: true));
            return NovaJson.Json(body);
        });
        api.MapDelete("/flavors/{id}/os-extra_specs/{key}", async (string id, string key, IMediator m) =>
        {
            await m.Send(new DeleteFlavorExtraSpec(id, key));
            return Results.Ok(); // Nova's 200 without a body
        });
    }
}
