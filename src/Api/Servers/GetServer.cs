using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Projections.Servers;
using Nova.Commands.Servers;

namespace Nova.Api.Servers;

/// <summary>GET /servers/{id}: the read model of a server the caller may see.</summary>
public sealed record GetServer(Guid ServerId) : IQuery<ServerView>;

public sealed class GetServerHandler(IQuerySession session, Caller caller) : IQueryHandler<GetServer, ServerView>
{
    public async ValueTask<ServerView> Handle(GetServer query, CancellationToken ct)
    {
        var view = await session.LoadAsync<ServerView>(query.ServerId, ct);
        caller.RequireVisible(query.ServerId, view?.ProjectId, view?.Deleted ?? false);
        return view!;
    }
}
