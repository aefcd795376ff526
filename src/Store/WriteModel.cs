using JasperFx.Events.Projections;
using Marten;
using Marten.Schema;
using Nova.Domain.Hosts;
using Nova.Domain.KeyPairs;
using Nova.Domain.Quotas;
using Nova.Domain.ServerGroups;
using Nova.Domain.Servers;
using Nova.Store.Flavors;
using Nova.Store.Hosts;
using Nova.Store.Images;
using Nova.Store.KeyPairs;
using Nova.Store.Operations;
using Nova.Store.Quotas;
using Nova.Store.ServerGroups;
using Nova.Store.Servers;

namespace Nova.Store;

/// <summary>
/// What the command side needs of Marten: the event types, the aggregates deciders load (live or inline
/// snapshots) and the documents commands write. Read models are added on top by the projections.
/// </summary>
public static class WriteModel
{
    public static void Configure(StoreOptions opts)
    {
        opts.Events.AddEventTypes(ServerEventTypes.All);
        opts.Events.AddEventTypes(ComputeHostEventTypes.All);
        opts.Events.AddEventTypes(ProjectUsageEventTypes.All);
        opts.Events.AddEventTypes(ServerGroupEventTypes.All);
        opts.Events.AddEventTypes(KeyPairEventTypes.All);

        opts.Projections.Add(new ServerAggregation(), ProjectionLifecycle.Live);
        opts.Projections.Add(new ComputeHostAggregation(), ProjectionLifecycle.Inline);
        opts.Projections.Add(new ProjectUsageAggregation(), ProjectionLifecycle.Inline);
        opts.Projections.Add(new ServerGroupAggregation(), ProjectionLifecycle.Inline);
        opts.Projections.Add(new KeyPairAggregation(), ProjectionLifecycle.Inline);

        opts.Schema.For<ComputeService>();
        opts.Schema.For<KeyPair>().Index(k => k.UserId);
        opts.Schema.For<HostAggregateRecord>().UseOptimisticConcurrency(true)
            .UniqueIndex(UniqueIndexType.Computed, UniqueNames.HostAggregateName, a => a.Name);
        // Optimistic: extra specs, access lists and the description are read, changed and written back; a lost race re-decides.
        opts.Schema.For<FlavorRecord>().UseOptimisticConcurrency(true).UniqueIndex(UniqueIndexType.Computed, UniqueNames.FlavorName, f => f.Name);
        opts.Schema.For<ImageRecord>();
        opts.Schema.For<DeletedImage>();
        opts.Schema.For<QuotaSetRecord>();
        opts.Schema.For<QuotaClassRecord>();
        opts.Schema.For<PendingOperation>().Index(x => x.DueAt);
        opts.Schema.For<ProcessedReport>().Index(x => x.RecordedAt);
    }
}
