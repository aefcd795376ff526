using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Mediator;
using Nova.Api.Http;
using Nova.Commands.HostAggregates;
using Nova.Commands.Requests;
using Nova.Domain.HostAggregates;
using Nova.Store.Hosts;
using IMediator = Mediator.IMediator;

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
