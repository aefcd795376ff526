using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Store.Flavors;

namespace Nova.Api.Flavors;

public sealed record GetFlavor(string Id) : IQuery<FlavorRecord>;

public sealed class GetFlavorHandler(IQuerySession session) : IQueryHandler<GetFlavor, FlavorRecord>
{
    public async ValueTask<FlavorRecord> Handle(GetFlavor query, CancellationToken ct) =>
        await session.LoadAsync<FlavorRecord>(query.Id, ct) ?? throw new NotFound($"Flavor {query.Id} could not be found.");
}
