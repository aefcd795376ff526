using Marten;
using Mediator;
using Nova.Commands.Requests;

namespace Nova.Api.Hosts;

/// <summary>The pre-2.53 way to name a service: its host and binary.</summary>
public sealed record FindServiceByHost(string Host, string Binary, string Policy) : IQuery<ServiceRecord>;

public sealed class FindServiceByHostHandler(IQuerySession session, Caller caller, TimeProvider clock) : IQueryHandler<FindServiceByHost, ServiceRecord>
{
    public async ValueTask<ServiceRecord> Handle(FindServiceByHost query, CancellationToken ct)
    {
        caller.Authorize(query.Policy);
        if (query.Binary != ServiceRecord.ComputeBinary) throw ComputeServicesOnly(query.Binary);
        var services = await ServiceRecords.Computes(session, clock.GetUtcNow(), ct);
        return services.FirstOrDefault(s => s.Host == query.Host)
               ?? throw new NotFound($"Compute host {query.Host} could not be found.");
    }

    /// <summary>Only compute services are switched on and off here (Nova's message).</summary>
    public static InvalidRequest ComputeServicesOnly(string binary) =>
        new($"Updating a {binary} service is not supported. Only nova-compute services can be updated.");
}
