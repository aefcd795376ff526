using Nova.Api.Http;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Hosts;

/// <summary>/v2.1/os-availability-zone: the zones any user may boot into; /detail (admin) adds hosts and services.</summary>
public static class AvailabilityZoneEndpoints
{
    public static void MapAvailabilityZones(this IEndpointRouteBuilder api)
    {
        api.MapGet("/os-availability-zone", async (IMediator m, CancellationToken ct) =>
            NovaJson.Json(new { availabilityZoneInfo = (await m.Send(new ListAvailabilityZones(Detail: false), ct)).Select(View).ToList() }));
        api.MapGet("/os-availability-zone/detail", async (IMediator m, CancellationToken ct) =>
            NovaJson.Json(new { availabilityZoneInfo = (await m.Send(new ListAvailabilityZones(Detail: true), ct)).Select(View).ToList() }));
    }

    private static Dictionary<string, object?> View(ZoneRecord zone) => new()
    {
        ["zoneName"] = zone.Name,
        ["zoneState"] = new { available = zone.Available },
        ["hosts"] = zone.Services?.GroupBy(s => s.Host).ToDictionary(
            host => host.Key,
            host => host.ToDictionary(s => s.Binary, s => new
            {
                available = s.IsUp, active = s.Enabled, updated_at = NovaJson.UsageTime(s.UpdatedAt),
            })),
    };
}
