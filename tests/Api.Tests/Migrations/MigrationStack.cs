using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Nova.Api.Tests.Infrastructure;
using Nova.Domain.Flavors;
using Nova.Domain.Servers;
using Nova.Projections;
using Nova.Store;

namespace Nova.Api.Tests.Migrations;

/// <summary>A server and one of its migrations.</summary>
public sealed record SeededMigration(Guid Server, Guid Migration);

/// <summary>
/// A control plane of its own (os-migrations lists the whole cloud's migrations) with four real servers whose resize
/// and migrate histories are appended straight to their streams, as the resize commands and hosts will write them:
/// a confirmed resize, a reverted cold migration, a resize no host could take, and a finished resize whose server was
/// deleted. The hosts they name do not exist, so no host answers and the histories stay as written.
/// </summary>
public sealed class MigrationStack : IAsyncLifetime
{
    public const string Member = "mia:mig-project", Admin = "admin:mig-admin", Outsider = "otto:mig-other";
    public const string Source = "mig-src";
    public static readonly FlavorSpec Tiny = DefaultFlavors.All[0], Small = DefaultFlavors.All[1];

    public ControlPlaneStack Stack { get; } = ControlPlaneStack.With(new StackOptions());
    public string ConnectionString => Stack.Services.GetRequiredService<IConfiguration>().GetConnectionString("Nova")!;
    public SeededMigration Confirmed { get; private set; } = null!;
    public SeededMigration Reverted { get; private set; } = null!;
    public SeededMigration Failed { get; private set; } = null!;
    public SeededMigration Deleted { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Stack.InitializeAsync();
        var servers = await NewServers(4);
        var now = DateTimeOffset.UtcNow;

        Confirmed = new(servers[0], Guid.NewGuid());
        await Append(Confirmed.Server, "mia", "mig-project",
            Requested(Confirmed, MigrationKind.Resize, Source), new ServerResizeScheduled(Confirmed.Server, Confirmed.Migration, "mig-dst-a", "nova"),
            new ServerResizeStepStarted(Confirmed.Server, Confirmed.Migration, Source, TaskState.ResizeMigrating),
            new ServerResizeMigrated(Confirmed.Server, Confirmed.Migration, Source),
            new ServerResizeStepStarted(Confirmed.Server, Confirmed.Migration, "mig-dst-a", TaskState.ResizeFinish),
            new ServerResized(Confirmed.Server, Confirmed.Migration, "mig-dst-a", now),
            new ServerResizeConfirmRequested(Confirmed.Server, Confirmed.Migration, Source),
            new ServerResizeConfirmed(Confirmed.Server, Confirmed.Migration, Source, now));

        // An admin's cold migration of the member's server.
        Reverted = new(servers[1], Guid.NewGuid());
        await Append(Reverted.Server, "admin", "mig-admin",
            Requested(Reverted, MigrationKind.Migrate, Source), new ServerResizeScheduled(Reverted.Server, Reverted.Migration, "mig-dst-b", "nova"),
            new ServerResizeMigrated(Reverted.Server, Reverted.Migration, Source),
            new ServerResized(Reverted.Server, Reverted.Migration, "mig-dst-b", now),
            new ServerResizeRevertRequested(Reverted.Server, Reverted.Migration, "mig-dst-b"),
            new ServerResizeRolledBackOnTarget(Reverted.Server, Reverted.Migration, "mig-dst-b"),
            new ServerResizeReverted(Reverted.Server, Reverted.Migration, Source, now));

        Failed = new(servers[2], Guid.NewGuid());
        await Append(Failed.Server, "mia", "mig-project",
            Requested(Failed, MigrationKind.Resize, Source),
            new ServerResizeFailed(Failed.Server, Failed.Migration, null, new ServerFault(500, ServerFault.NoValidHost)));

        Deleted = new(servers[3], Guid.NewGuid());
        await Append(Deleted.Server, "mia", "mig-project",
            Requested(Deleted, MigrationKind.Resize, Source), new ServerResizeScheduled(Deleted.Server, Deleted.Migration, "mig-dst-d", null),
            new ServerResizeMigrated(Deleted.Server, Deleted.Migration, Source),
            new ServerResized(Deleted.Server, Deleted.Migration, "mig-dst-d", now),
            new ServerDeleteRequested(Deleted.Server, "mig-dst-d"), new ServerDeleted(Deleted.Server, now));

        // Projected: the three left, each in its last status, and the deleted server's migration gone from the list.
        var admin = Stack.Client(Admin, "2.59");
        await Eventually.True(async () =>
        {
            var (status, body) = await admin.Get($"/v2.1/os-migrations?source_compute={Source}");
            var statuses = body?["migrations"]?.AsArray().Select(m => m!["status"]!.GetValue<string>()).ToList();
            await using var session = Stack.Store.QuerySession();
            var deleted = await session.LoadAsync<Projections.Migrations.MigrationView>(Deleted.Migration);
            return status == HttpStatusCode.OK && statuses is ["error", "reverted", "confirmed"] && deleted is { Deleted: true };
        }, TimeSpan.FromSeconds(30), "seeded migrations projected");
    }

    public Task DisposeAsync() => Stack.DisposeAsync();

    /// <summary>Servers of <see cref="Member"/>'s project, built and ACTIVE.</summary>
    public async Task<Guid[]> NewServers(int count)
    {
        var member = Stack.Client(Member);
        var ids = await Task.WhenAll(Enumerable.Range(0, count).Select(i => member.CreateServer($"mig-{Guid.NewGuid():N}"[..12])));
        foreach (var id in ids) await member.WaitForStatus(id, "ACTIVE", 60);
        return ids.Select(Guid.Parse).ToArray();
    }

    public static ServerResizeRequested Requested(SeededMigration m, MigrationKind kind, string source) =>
        new(m.Server, new Migration(m.Migration, kind, source, Tiny, kind == MigrationKind.Resize ? Small : Tiny, VmState.Active,
            Guid.NewGuid(), SourceZone: "nova"), DateTimeOffset.UtcNow);

    /// <summary>Appends to a server's stream with the headers the command side writes (who asked, for which project).</summary>
    public async Task Append(Guid server, string user, string project, params object[] events)
    {
        await using var session = Stack.Store.LightweightSession();
        session.SetHeader(EventHeaders.UserId, user);
        session.SetHeader(EventHeaders.ProjectId, project);
        session.CorrelationId = Commands.Requests.Caller.NewRequestId();
        session.Events.Append(server, events);
        await session.SaveChangesAsync();
    }

    /// <summary>The migration as GET /os-migrations shows it (2.59, by its server), once <paramref name="done"/> holds.</summary>
    public Task<JsonNode> WaitFor(SeededMigration m, Func<JsonNode, bool> done, string what)
    {
        var admin = Stack.Client(Admin, "2.59");
        return Eventually.Value(async () =>
        {
            var (_, body) = await admin.Get($"/v2.1/os-migrations?instance_uuid={m.Server}");
            return body?["migrations"]?.AsArray().FirstOrDefault(x => x!["uuid"]!.GetValue<string>() == m.Migration.ToString()) ?? new JsonObject();
        }, x => x["uuid"] is not null && done(x), TimeSpan.FromSeconds(20), what);
    }

    /// <summary>Every migration document's jsonb text, by id.</summary>
    public async Task<Dictionary<Guid, string>> Documents()
    {
        var docs = new Dictionary<Guid, string>();
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"select id, data::text from {NovaStore.Schema}.mt_doc_migrationview", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) docs[r.GetGuid(0)] = r.GetString(1);
        return docs;
    }

    public async Task Sql(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class MigrationCollection : ICollectionFixture<MigrationStack>
{
    public const string Name = "migrations";
}
