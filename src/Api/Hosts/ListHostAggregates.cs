using Marten;
using Mediator;
using Nova.Commands.HostAggregates;
using Nova.Commands.Requests;
using Nova.Store.Hosts;

namespace Nova.Api.Hosts;

public sealed record ListHostAggregates : IQuery<IReadOnlyList<HostAggregateRecord>>;

public sealed class ListHostAggregatesHandler(IQuerySession session, Caller caller) : IQueryHandler<ListHostAggregates, IReadOnlyList<HostAggregateRecord>>
{
    public async ValueTask<IReadOnlyList<HostAggregateRecord>> Handle(ListHostAggregates query, CancellationToken ct)
    {
        caller.Authorize($"{HostAggregateChanges.Policy}:index");
        return (await session.Query<HostAggregateRecord>().ToListAsync(ct)).OrderBy(a => a.Id).ToList();
    }
}
