using System.Globalization;
using Nova.Api.Http;
using Nova.Api.Servers;
using Nova.Commands.Requests;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Migrations;

/// <summary>/v2.1/os-migrations (admin) and /v2.1/servers/{id}/migrations (2.23): the migrations read model.</summary>
public static class MigrationEndpoints
{
    public const string HostsPolicy = "os_compute_api:os-migrations:index:host";
    public const string ServerIndexPolicy = "os_compute_api:servers:migrations:index";
    public const string ServerHostsPolicy = "os_compute_api:servers:migrations:index:host";
    public const string ServerShowPolicy = "os_compute_api:servers:migrations:show";

    private static readonly string[] Filters = ["hidden", "host", "instance_uuid", "source_compute", "status", "migration_type"];

    public static void MapMigrations(this IEndpointRouteBuilder api)
    {
        api.MapGet("/os-migrations", List);
        api.MapGet("/servers/{id}/migrations", ListOfServer);
        api.MapGet("/servers/{id}/migrations/{migrationId}", ShowOfServer);
    }

    private static async Task<IResult> List(HttpContext http, IMediator mediator, Caller caller, CancellationToken ct)
    {
        var version = MicroversionMiddleware.Of(http);
        var q = http.Request.Query;
        var paged = version.AtLeast(59);
        // Before 2.59 Nova's schema lets any parameter through (and its database filters know user_id and project_id);
        // from it the schema is closed, and each microversion opens its own parameters.
        if (paged) q.OnlyKnown(KnownParameters(version));
        var byOwner = !paged || version.AtLeast(80);
        var filter = new MigrationFilter(
            Host: q.Text("host"), Status: q.Text("status"), InstanceUuid: q.Text("instance_uuid"),
            MigrationType: q.Text("migration_type"), SourceCompute: q.Text("source_compute"),
            Hidden: q.Text("hidden") is { } hidden && (QueryParameters.Flag(hidden) ?? false),
            UserId: byOwner ? q.Text("user_id") : null, ProjectId: byOwner ? q.Text("project_id") : null,
            ChangesSince: paged ? q.Time("changes-since") : null,
            ChangesBefore: version.AtLeast(66) ? q.Time("changes-before") : null,
            Paged: paged, Limit: paged ? q.Limit() : null, Marker: paged ? q.Text("marker") : null);
        if (filter is { ChangesSince: { } since, ChangesBefore: { } before } && before < since)
            throw NovaError.BadRequest("The value of changes-since must be less than or equal to changes-before.");

        var migrations = await mediator.Send(new ListMigrations(filter), ct);
        var withHosts = caller.Allows(HostsPolicy);
        var body = new Dictionary<string, object?>
        {
            ["migrations"] = migrations.Select(m => MigrationJson.Item(http, m, version, withHosts)).ToList(),
        };
        if (paged && Links.Next(http, "os-migrations", filter.Limit, migrations.Count, migrations.LastOrDefault()?.Id.ToString()) is { } next)
            body["migrations_links"] = next;
        return NovaJson.Json(body);
    }

    private static IReadOnlyCollection<string> KnownParameters(Microversion version)
    {
        var known = new List<string>(Filters) { "limit", "marker", "changes-since" };
        if (version.AtLeast(66)) known.Add("changes-before");
        if (version.AtLeast(80)) known.AddRange(["user_id", "project_id"]);
        return known;
    }

    // Nova lists and shows under a server only live migrations in progress (server_migrations.py asks
    // get_migrations_in_progress_by_instance(..., 'live-migration')): a resize or a cold migration is never there, the
    // list is empty and showing one is 404 "is not live-migration", even while it runs. This control plane has no live
    // migration yet, so that is what these answer; os-migrations is where resizes and cold migrations are seen.
    private static async Task<IResult> ListOfServer(string id, HttpContext http, IMediator mediator, Caller caller, CancellationToken ct)
    {
        var version = RequireServerMigrations(http);
        var server = await mediator.Send(new GetServerMigrations(ServerEndpoints.ParseId(id), ServerIndexPolicy), ct);
        var withHosts = caller.Allows(ServerHostsPolicy, server.ProjectId);
        return NovaJson.Json(new
        {
            migrations = server.Migrations.Where(MigrationJson.IsLiveInProgress).Select(m => MigrationJson.OfServer(m, version, withHosts)).ToList(),
        });
    }

    private static async Task<IResult> ShowOfServer(string id, string migrationId, HttpContext http, IMediator mediator, CancellationToken ct)
    {
        var version = RequireServerMigrations(http);
        var server = await mediator.Send(new GetServerMigrations(ServerEndpoints.ParseId(id), ServerShowPolicy), ct);
        var number = long.TryParse(migrationId, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (long?)null;
        var migration = server.Migrations.FirstOrDefault(m => m.Number == number)
                        ?? throw NovaError.NotFound($"In-progress live migration {migrationId} is not found for server {id}.");
        if (migration.MigrationType != MigrationJson.LiveMigration)
            throw NovaError.NotFound($"Migration {migrationId} for server {id} is not live-migration.");
        if (!MigrationJson.LiveInProgress.Contains(migration.Status))
            throw NovaError.NotFound($"Live migration {migrationId} for server {id} is not in progress.");
        return NovaJson.Json(new { migration = MigrationJson.OfServer(migration, version, withHosts: true) });
    }

    /// <summary>The server migrations API begins at 2.23; before, Nova has no such resource.</summary>
    private static Microversion RequireServerMigrations(HttpContext http)
    {
        var version = MicroversionMiddleware.Of(http);
        return version.AtLeast(23) ? version : throw NovaError.NotFound($"The resource could not be found: {http.Request.Path}");
    }
}
