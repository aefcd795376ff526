using Marten;
using Nova.Store;
using Weasel.Core;
using Weasel.Core.Migrations;

namespace Nova.Projections.Audit;

/// <summary>
/// What auditors need from the store beyond Marten's defaults: the hash chain over every stream
/// (<see cref="EventChain"/>) and the indexes that keep the global event feed's filters cheap.
/// </summary>
public static class EventAudit
{
    /// <summary>Feed filters on event metadata; each index ends in seq_id so a filtered page is read in feed order.</summary>
    public static IReadOnlyList<EventTableIndex> FeedIndexes(string schema) =>
    [
        new(schema, "mt_events_project_seq", $"((headers ->> '{EventHeaders.ProjectId}'), seq_id)"),
        new(schema, "mt_events_user_seq", $"((headers ->> '{EventHeaders.UserId}'), seq_id)"),
        new(schema, "mt_events_timestamp", "(timestamp)"),
    ];

    public static void Configure(StoreOptions opts)
    {
        var schema = opts.DatabaseSchemaName;
        // (type, seq_id): the feed's type filter and rebuilds of projections that read few types.
        opts.Events.EnableEventTypeIndex = true;
        foreach (var index in FeedIndexes(schema)) opts.Events.IgnoreIndex(index.Name);
        opts.Storage.Add(new EventAuditSchema(opts));
    }
}

/// <summary>
/// The audit objects as a schema feature of their own that depends on the event store's, so they
/// are created after <c>mt_events</c> (Marten's extended schema objects come before it).
/// </summary>
public sealed class EventAuditSchema(StoreOptions opts) : FeatureSchemaBase("event_audit", opts.Advanced.Migrator)
{
    public override Type StorageType => typeof(EventAuditSchema);

    public override IEnumerable<Type> DependentTypes() => [((IFeatureSchema)opts.Events).StorageType];

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        var schema = opts.DatabaseSchemaName;
        foreach (var index in EventAudit.FeedIndexes(schema)) yield return index;
        foreach (var chainObject in EventChain.SchemaObjects(schema)) yield return chainObject;
    }
}
