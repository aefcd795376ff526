using Marten;
using Mediator;
using Nova.Api.Http;
using Nova.Commands.Requests;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Hosts;

/// <summary>A zone and, in the detailed view, the enabled services in it.</summary>
public sealed record ZoneRecord(string Name, bool Available, IReadOnlyList<ServiceRecord>? Services);

/// <summary>
/// Nova's rule: a zone is available when an enabled service is in it; a zone whose services are
/// all disabled is listed as not available. The plain list hides the internal zone.
/// </summary>
public sealed record ListAvailabilityZones(bool Detail) : IQuery<IReadOnlyList<ZoneRecord>>;

public sealed class AvailabilityZoneQueries(IQuerySession session, Caller caller, TimeProvider clock)
    : IQueryHandler<ListAvailabilityZones, IReadOnlyList<ZoneRecord>>
{
    public async ValueTask<IReadOnlyList<ZoneRecord>> Handle(ListAvailabilityZones query, CancellationToken ct)
    {
        if (query.Detail) caller.Authorize("os_compute_api:os-availability-zone:detail");
        var services = await ServiceRecords.All(session, clock.GetUtcNow(), ct);
        var enabled = services.Where(s => s.Enabled).ToList();
        var available = enabled.Select(s => s.Zone).Distinct().Order(StringComparer.Ordinal).ToList();
        var unavailable = services.Where(s => !s.Enabled).Select(s => s.Zone).Distinct()
            .Where(z => !available.Contains(z)).Order(StringComparer.Ordinal).ToList();

        var zones = available.Select(z => new ZoneRecord(z, true, query.Detail ? enabled.Where(s => s.Zone == z).ToList() : null))
            .Concat(unavailable.Select(z => new ZoneRecord(z, false, null)));
        if (!query.Detail) zones = zones.Where(z => z.Name != ServiceRecords.InternalZone);
        return zones.ToList();
    }
}

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
