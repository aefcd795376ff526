using JasperFx.Events;
using Nova.Domain.Flavors;
using Nova.Domain.Servers;
using Nova.Projections.Migrations;
using Nova.Store;

namespace Nova.Api.Tests.Migrations;

/// <summary>Given a server's events, when they are folded, then its migration documents.</summary>
public sealed class ServerMigrationsTests
{
    private static readonly Guid Server = Guid.NewGuid();
    private static readonly FlavorSpec Tiny = DefaultFlavors.All[0], Small = DefaultFlavors.All[1];
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private long sequence = 100;

    private IEvent E(object data, string user = "mia", string project = "p1")
    {
        var e = (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(data.GetType()), data)!;
        e.Sequence = ++sequence;
        e.Timestamp = T0.AddSeconds(sequence);
        e.StreamId = Server;
        e.SetHeader(EventHeaders.UserId, user);
        e.SetHeader(EventHeaders.ProjectId, project);
        return e;
    }

    private static ServerCreateRequested Created(string project) =>
        new(Server, "vm", project, "owner", Tiny, "image", new Dictionary<string, string>(), "none", T0);

    private static Migration Move(Guid id, MigrationKind kind = MigrationKind.Resize) =>
        new(id, kind, "src", Tiny, kind == MigrationKind.Resize ? Small : Tiny, VmState.Active, Guid.NewGuid());

    private static ServerMigrations Fold(IEnumerable<IEvent> events, IEnumerable<MigrationView>? known = null)
    {
        var server = new ServerMigrations(Server, known ?? []);
        foreach (var e in events) server.Apply(e);
        return server;
    }

    [Fact]
    public void A_request_starts_a_migration_with_the_servers_project_and_the_requester()
    {
        var id = Guid.NewGuid();
        var request = E(new ServerResizeRequested(Server, Move(id), T0), user: "admin", project: "ops");

        var m = Assert.Single(Fold([E(Created("owners")), request]).Migrations);

        Assert.Equal(id, m.Id);
        Assert.Equal(request.Sequence, m.Number);
        Assert.Equal(Server, m.InstanceUuid);
        Assert.Equal("owners", m.ServerProjectId);
        Assert.Equal(("admin", "ops"), (m.UserId, m.ProjectId));
        Assert.Equal(("resize", MigrationStatus.PreMigrating), (m.MigrationType, m.Status));
        Assert.Equal(("src", "src"), (m.SourceCompute, m.SourceNode));
        Assert.Null(m.DestCompute);
        Assert.Equal(("1", "2"), (m.OldFlavorId, m.NewFlavorId));
        Assert.Equal((request.Timestamp, request.Timestamp), (m.CreatedAt, m.UpdatedAt));
    }

    [Fact]
    public void The_schedule_names_the_destination_and_each_step_moves_the_status_and_updated_at()
    {
        var id = Guid.NewGuid();
        var steps = new[]
        {
            E(Created("p1")), E(new ServerResizeRequested(Server, Move(id, MigrationKind.Migrate), T0)),
            E(new ServerResizeScheduled(Server, id, "dst", "nova")), E(new ServerResizeMigrated(Server, id, "src")),
        };

        var m = Assert.Single(Fold(steps).Migrations);

        Assert.Equal("migration", m.MigrationType);
        Assert.Equal(("dst", "dst", "dst"), (m.DestCompute, m.DestNode, m.DestHost));
        Assert.Equal(MigrationStatus.PostMigrating, m.Status);
        Assert.Equal(steps[^1].Timestamp, m.UpdatedAt);
    }

    [Fact]
    public void Later_events_change_the_known_migration_they_name_and_no_other()
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        var before = Fold([E(Created("p1")), E(new ServerResizeRequested(Server, Move(first), T0)),
            E(new ServerResizeFailed(Server, first, null, new ServerFault(500, ServerFault.NoValidHost)))]).Migrations;

        // The next batch: the daemon knows the first migration from its document, and the project with it.
        var after = Fold([E(new ServerResizeRequested(Server, Move(second), T0)), E(new ServerResizeScheduled(Server, second, "dst", null))], before);

        Assert.Equal(new[] { first, second }, after.Migrations.Select(m => m.Id));
        Assert.Equal(new[] { MigrationStatus.Error, MigrationStatus.PreMigrating }, after.Migrations.Select(m => m.Status));
        Assert.Equal("p1", after.Migrations[1].ServerProjectId);
        Assert.Equal(new[] { second }, after.Changed.Select(m => m.Id));
    }

    [Fact]
    public void A_repeated_request_for_the_same_migration_changes_nothing()
    {
        var id = Guid.NewGuid();
        var server = Fold([E(Created("p1")), E(new ServerResizeRequested(Server, Move(id), T0)), E(new ServerResizeScheduled(Server, id, "dst", null)),
            E(new ServerResizeRequested(Server, Move(id), T0))]);

        var m = Assert.Single(server.Migrations);
        Assert.Equal(("dst", MigrationStatus.PreMigrating), (m.DestCompute, m.Status));
        Assert.Equal(102, m.Number);
    }

    [Fact]
    public void Deleting_the_server_deletes_its_migrations_with_it()
    {
        var id = Guid.NewGuid();
        var deleted = E(new ServerDeleted(Server, T0));
        var m = Assert.Single(Fold([E(Created("p1")), E(new ServerResizeRequested(Server, Move(id), T0)),
            E(new ServerResized(Server, id, "dst", T0)), E(new ServerDeleteRequested(Server, "dst")), deleted]).Migrations);

        Assert.True(m.Deleted);
        Assert.Equal(MigrationStatus.Finished, m.Status);
        Assert.Equal(deleted.Timestamp, m.UpdatedAt);
    }

    [Fact]
    public void Other_server_events_are_not_the_folds()
    {
        Assert.False(ServerMigrations.Handles(new ServerLocked(Server, "a", null)));
        Assert.True(ServerMigrations.Handles(new ServerDeleted(Server, T0)));
        Assert.Empty(Fold([E(Created("p1")), E(new ServerLocked(Server, "a", null))]).Migrations);
    }
}
