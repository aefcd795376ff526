using Nova.Api.Http;
using Nova.Commands.Requests;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Servers;

/// <summary>
/// /servers/{id}/ips: Nova's ips API. This control plane has no network service, so a server is on no network:
/// the list is empty and every network label is Nova's 404.
/// </summary>
public static class ServerAddressEndpoints
{
    public static void MapServerAddresses(this IEndpointRouteBuilder api)
    {
        api.MapGet("/servers/{id}/ips", async (string id, IMediator mediator, Caller caller, CancellationToken ct) =>
            NovaJson.Json(new { addresses = await Networks(id, "index", mediator, caller, ct) }));
        api.MapGet("/servers/{id}/ips/{network}", async (string id, string network, IMediator mediator, Caller caller, CancellationToken ct) =>
            (await Networks(id, "show", mediator, caller, ct)).TryGetValue(network, out var addresses)
                ? NovaJson.Json(new Dictionary<string, object> { [network] = addresses })
                : throw NovaError.NotFound("Instance is not a member of specified network"));
    }

    /// <summary>The server's addresses by network label, after the server is found (404) and the rule allows it against its project.</summary>
    private static async Task<Dictionary<string, object[]>> Networks(string id, string rule, IMediator mediator, Caller caller, CancellationToken ct)
    {
        var view = await mediator.Send(new GetServer(ServerEndpoints.ParseId(id)), ct);
        caller.Authorize($"os_compute_api:ips:{rule}", view.ProjectId);
        return [];
    }
}
