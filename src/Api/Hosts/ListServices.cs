using Marten;
using Mediator;
using Nova.Commands.Requests;

namespace Nova.Api.Hosts;

public sealed record ListServices(string? Host, string? Binary) : IQuery<IReadOnlyList<ServiceRecord>>;

public sealed class ListServicesHandler(IQuerySession session, Caller caller, TimeProvider clock) : IQueryHandler<ListServices, IReadOnlyList<ServiceRecord>>
{
    public async ValueTask<IReadOnlyList<ServiceRecord>> Handle(ListServices query, CancellationToken ct)
    {
        caller.Authorize("os_compute_api:os-services:list");
        IEnumerable<ServiceRecord> services = await ServiceRecords.All(session, clock.GetUtcNow(), ct);
        if (query.Host is { } host) services = services.Where(s => s.Host == host);
        if (query.Binary is { } binary) services = services.Where(s => s.Binary == binary);
        return services.ToList();
    }
}
