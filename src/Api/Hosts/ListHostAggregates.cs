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

public sealed record ListHostAggregates : IQuery<IReadOnlyList<HostAggregateRecord>>;

public sealed class ListHostAggregatesHandler(IQuerySession session, Caller caller) : IQueryHandler<ListHostAggregates, IReadOnlyList<HostAggregateRecord>>
{
    public async ValueTask<IReadOnlyList<HostAggregateRecord>> Handle(ListHostAggregates query, CancellationToken ct)
    {
        caller.Authorize($"{HostAggregateChanges.Policy}:index");
        return (await session.Query<HostAggregateRecord>().ToListAsync(ct)).OrderBy(a => a.Id).ToList();
    }
}
