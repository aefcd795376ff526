using System.Globalization;
using Marten;
using Mediator;
using Nova.Commands.Requests;

namespace Nova.Api.Hosts;

/// <summary>A service by its integer id or UUID, for an operator's update or delete.</summary>
public sealed record FindServiceById(string Id, string Policy) : IQuery<ServiceRecord>;

public sealed class FindServiceByIdHandler(IQuerySession session, Caller caller, TimeProvider clock) : IQueryHandler<FindServiceById, ServiceRecord>
{
    public async ValueTask<ServiceRecord> Handle(FindServiceById query, CancellationToken ct)
    {
        caller.Authorize(query.Policy);
        var services = await ServiceRecords.All(session, clock.GetUtcNow(), ct);
        var found = Guid.TryParse(query.Id, out var uuid) ? services.FirstOrDefault(s => s.Uuid == uuid)
            : int.TryParse(query.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? services.FirstOrDefault(s => s.Id == id)
            : null;
        return found ?? throw new NotFound($"Service {query.Id} could not be found.");
    }
}
