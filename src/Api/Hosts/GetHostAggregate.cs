using Marten;
using Mediator;
using Nova.Commands.HostAggregates;
using Nova.Commands.Requests;
using Nova.Store.Hosts;

namespace Nova.Api.Hosts;

public sealed record GetHostAggregate(int Id) : IQuery<HostAggregateRecord>;

public sealed class GetHostAggregateHandler(IQuerySession session, Caller caller) : IQueryHandler<GetHostAggregate, HostAggregateRecord>
{
    public async ValueTask<HostAggregateRecord> Handle(GetHostAggregate query, CancellationToken ct)
    {
        caller.Authorize($"{HostAggregateChanges.Policy}:show");
        return await session.LoadAsync<HostAggregateRecord>(query.Id, ct)
               ?? throw new NotFound($"Aggregate {query.Id} could not be found.");
    }
}
