using Marten;
using Mediator;
using Nova.Commands.Flavors;
using Nova.Commands.Requests;
using Nova.Store.Flavors;

namespace Nova.Api.Flavors;

/// <summary>One flavor, as this caller may see it (a private flavor not shared with the caller's project is 404, <see cref="FlavorAccess"/>).</summary>
public sealed record GetFlavor(string Id) : IQuery<FlavorRecord>;

public sealed class GetFlavorHandler(IQuerySession session, Caller caller) : IQueryHandler<GetFlavor, FlavorRecord>
{
    public async ValueTask<FlavorRecord> Handle(GetFlavor query, CancellationToken ct) =>
        await session.LoadAsync<FlavorRecord>(query.Id, ct) is { } flavor && caller.Sees(flavor)
            ? flavor
            : throw FlavorAccess.NotFound(query.Id);
}
