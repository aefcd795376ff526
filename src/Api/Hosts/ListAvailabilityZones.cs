using Marten;
using Mediator;
using Nova.Commands.Requests;

namespace Nova.Api.Hosts;

/// <summary>
/// Nova's rule: a zone is available when an enabled service is in it; a zone whose services are
/// all disabled is listed as not available. The plain list hides the internal zone.
/// </summary>
public sealed record ListAvailabilityZones(bool Detail) : IQuery<IReadOnlyList<ZoneRecord>>;

public sealed class ListAvailabilityZonesHandler(IQuerySession session, Caller caller, TimeProvider clock) : IQueryHandler<ListAvailabilityZones, IReadOnlyList<ZoneRecord>>
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

/// <summary>A zone and, in the detailed view, the enabled services in it.</summary>
public sealed record ZoneRecord(string Name, bool Available, IReadOnlyList<ServiceRecord>? Services);
