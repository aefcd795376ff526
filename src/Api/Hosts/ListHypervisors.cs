using Marten;
using Mediator;
using Nova.Commands.Requests;

namespace Nova.Api.Hosts;

/// <summary>Hypervisors whose name contains <paramref name="Pattern"/> (all when null); 404 when a pattern matches none.</summary>
public sealed record ListHypervisors(string Policy, string? Pattern = null, bool WithServers = false) : IQuery<IReadOnlyList<HypervisorRecord>>;

public sealed class ListHypervisorsHandler(IQuerySession session, Caller caller, TimeProvider clock) : IQueryHandler<ListHypervisors, IReadOnlyList<HypervisorRecord>>
{
    public async ValueTask<IReadOnlyList<HypervisorRecord>> Handle(ListHypervisors query, CancellationToken ct)
    {
        caller.Authorize(query.Policy);
        IEnumerable<ServiceRecord> computes = await ServiceRecords.Computes(session, clock.GetUtcNow(), ct);
        if (query.Pattern is { } pattern)
        {
            computes = computes.Where(s => s.Host.Contains(pattern, StringComparison.OrdinalIgnoreCase)).ToList();
            if (!computes.Any()) throw new NotFound($"No hypervisor matching '{pattern}' could be found.");
        }
        var list = new List<HypervisorRecord>();
        foreach (var service in computes) list.Add(new HypervisorRecord(service, query.WithServers ? await HostedServer.On(session, service.Compute!, ct) : null));
        return list;
    }
}
