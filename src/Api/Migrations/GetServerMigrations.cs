using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Commands.Servers;
using Nova.Projections.Migrations;
using Nova.Projections.Servers;

namespace Nova.Api.Migrations;

/// <summary>A server's migrations (oldest first), for a caller who may see the server and passes <paramref name="Rule"/> on its project.</summary>
public sealed record GetServerMigrations(Guid ServerId, string Rule) : IQuery<ServerMigrationList>;

public sealed record ServerMigrationList(string ProjectId, IReadOnlyList<MigrationView> Migrations);

public sealed class GetServerMigrationsHandler(IQuerySession session, Caller caller) : IQueryHandler<GetServerMigrations, ServerMigrationList>
{
    public async ValueTask<ServerMigrationList> Handle(GetServerMigrations query, CancellationToken ct)
    {
        // The server first (404 when the caller cannot see it), then the rule, as Nova's controller does.
        var view = await session.LoadAsync<ServerView>(query.ServerId, ct);
        caller.RequireVisible(query.ServerId, view?.ProjectId, view?.Deleted ?? false);
        caller.Authorize(query.Rule, view!.ProjectId);
        var migrations = await session.Query<MigrationView>()
            .Where(m => m.InstanceUuid == query.ServerId && !m.Deleted)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Number).ToListAsync(ct);
        return new ServerMigrationList(view.ProjectId, migrations);
    }
}
