using Nova.Api.Http;
using Nova.Commands.Flavors;
using Nova.Commands.Requests;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Flavors;

/// <summary>Nova's flavor-access API: a private flavor's access list, and the addTenantAccess / removeTenantAccess actions.</summary>
public static class FlavorAccessEndpoints
{
    public static void MapFlavorAccess(this IEndpointRouteBuilder api)
    {
        api.MapGet("/flavors/{id}/os-flavor-access", async (string id, IMediator m) =>
        {
            var flavor = await m.Send(new GetFlavor(id));
            if (flavor.IsPublic) throw NovaError.NotFound("Access list not available for public flavors.");
            return View(flavor.Id, flavor.Projects);
        });
        api.MapPost("/flavors/{id}/action", async (string id, HttpContext http, IMediator m) =>
        {
            var (action, tenant) = FlavorTenantAccessBody.Read(await NovaJson.ReadObject(http.Request));
            var projects = await m.Send(new ChangeFlavorAccess(id, tenant, Add: action == FlavorTenantAccessBody.Add,
                RefusePublic: MicroversionMiddleware.Of(http).AtLeast(7)));
            return View(id, projects);
        });
    }

    private static IResult View(string flavorId, IEnumerable<string> projects) =>
        NovaJson.Json(new { flavor_access = projects.Select(p => new { flavor_id = flavorId, tenant_id = p }).ToList() });
}
