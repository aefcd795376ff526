using System.Globalization;
using Marten;
using Mediator;
using Nova.Commands.Requests;

namespace Nova.Api.Hosts;

public sealed record GetHypervisor(string Id, string Policy, bool WithServers = false) : IQuery<HypervisorRecord>;

public sealed class GetHypervisorHandler(IQuerySession session, Caller caller, TimeProvider clock) : IQueryHandler<GetHypervisor, HypervisorRecord>
{
    public async ValueTask<HypervisorRecord> Handle(GetHypervisor query, CancellationToken ct)
    {
        caller.Authorize(query.Policy);
        var computes = await ServiceRecords.Computes(session, clock.GetUtcNow(), ct);
        var found = Guid.TryParse(query.Id, out var uuid) ? computes.FirstOrDefault(s => s.Uuid == uuid)
            : int.TryParse(query.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? computes.FirstOrDefault(s => s.Id == id)
            : null;
        if (found is null) throw new NotFound($"Hypervisor with ID '{query.Id}' could not be found.");
        return new HypervisorRecord(found, query.WithServers ? await HostedServer.On(session, found.Compute!, ct) : null);
    }
}
