using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Nova.Projections.Audit;
using Nova.Projections.InstanceActions;
using Nova.Projections.Migrations;
using Nova.Projections.Servers;
using Nova.Projections.Usage;
using Nova.Store;
using Weasel.Core;

namespace Nova.Projections;

/// <summary>The whole store: the write model (<see cref="WriteModel"/>), the read models, the audit objects and the daemon's settings.</summary>
public static class NovaStore
{
    public const string Schema = "nova";

    public static void Configure(StoreOptions opts, string connectionString)
    {
        opts.Connection(connectionString);
        opts.DatabaseSchemaName = Schema;
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString);

        opts.Events.StreamIdentity = StreamIdentity.AsGuid;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        WriteModel.Configure(opts);
        opts.Projections.Add(new ServerViewProjection(), ProjectionLifecycle.Async);
        opts.Projections.Add(new InstanceActionsProjection(), ProjectionLifecycle.Async);
        opts.Projections.Add(new MigrationsProjection(), ProjectionLifecycle.Async, MigrationsProjection.Name);
        opts.Projections.Add(new ServerUsageProjection(), ProjectionLifecycle.Async);

        // The server list: a project's page in the default order (created_at, id) is an index range; changes-since/before
        // read the updated_at column; a sort by name (display_name) uses the name index.
        opts.Schema.For<ServerView>().Duplicate(x => x.ProjectId).Duplicate(x => x.CreatedAt).Duplicate(x => x.Deleted)
            .Duplicate(x => x.UpdatedAt)
            .Index([x => x.ProjectId, x => x.CreatedAt, x => x.Id], index => index.Name = "mt_doc_serverview_idx_project_created")
            .Index(x => x.Name);
        opts.Schema.For<InstanceActionLog>().Duplicate(x => x.ProjectId);
        // The list's order and keyset (created_at, id), its changes-since window, a server's migrations, Nova's integer id.
        opts.Schema.For<MigrationView>().Duplicate(x => x.CreatedAt).Duplicate(x => x.UpdatedAt).Duplicate(x => x.InstanceUuid)
            .Duplicate(x => x.Number).Duplicate(x => x.Deleted);
        // A usage window selects the servers that ran in it (started before its end, not ended before its start), by project.
        opts.Schema.For<ServerUsageView>().Duplicate(x => x.ProjectId).Duplicate(x => x.StartedAt).Duplicate(x => x.EndedAt);
        EventAudit.Configure(opts);

        // The daemon polls for new events (PostgreSQL has no push here); short polls keep the relay
        // and the read models within tens of milliseconds of the store, for a cheap max(seq) query.
        opts.Projections.FastPollingTime = TimeSpan.FromMilliseconds(10);
        opts.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(25);
        // A lost optimistic-concurrency race rolls back its append and leaves a gap in the sequence.
        // The daemon skips a gap only when no live transaction could still fill it, so waiting the
        // default 3 s before looking would only stall every read model and the relay.
        opts.Projections.StaleSequenceThreshold = TimeSpan.FromMilliseconds(200);
    }
}
