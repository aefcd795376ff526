using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Nova.Domain.Servers;
using Nova.Projections.InstanceActions;
using Nova.Projections.Migrations;
using Nova.Projections.Servers;
using Nova.Projections.Usage;

namespace Nova.Projections.Rebuilding;

/// <summary>
/// An async projection the operator can rebuild: its name (as the daemon's shard knows it), its
/// document type and the very Evolve the daemon runs, so a replay builds what the daemon built.
/// </summary>
public abstract class ReplayedProjection
{
    /// <summary>Every projection <c>nova-manage projections rebuild</c> knows, by name.</summary>
    public static readonly IReadOnlyList<ReplayedProjection> All =
    [
        new ReplayedProjection<ServerView>(new ServerViewProjection(), ServerEventTypes.All),
        new ReplayedProjection<InstanceActionLog>(new InstanceActionsProjection(), ServerEventTypes.All),
        new ReplayedMigrations(),
        new ReplayedProjection<ServerUsageView>(new ServerUsageProjection(), ServerEventTypes.All),
    ];

    public static ReplayedProjection? Named(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    public abstract string Name { get; }
    public string ShardName => Name + ":All";
    public abstract Type DocumentType { get; }
    /// <summary>The document table (Marten's default alias: the type name in lower case).</summary>
    public string Table => "mt_doc_" + DocumentType.Name.ToLowerInvariant();

    /// <summary>Folds one stream's events (already in version order) up to <paramref name="upTo"/> into its documents (none when none applied).</summary>
    public abstract IReadOnlyList<object> Fold(Guid streamId, IEnumerable<IEvent> events, long upTo);

    /// <summary>Applies further events to the documents stored in <paramref name="session"/> and stores the results.</summary>
    public abstract Task<int> Apply(IDocumentSession session, IReadOnlyList<IEvent> events, CancellationToken ct);

    /// <summary>Replaces one stream's documents in <paramref name="session"/> by <paramref name="documents"/> (deleting the others).</summary>
    public abstract void Replace(IDocumentSession session, Guid streamId, IReadOnlyList<object> documents);
}

public sealed class ReplayedProjection<TDoc>(SingleStreamProjection<TDoc, Guid> projection, IEnumerable<Type> eventTypes)
    : ReplayedProjection where TDoc : class
{
    private readonly HashSet<Type> handled = eventTypes.ToHashSet();

    // Marten names a single-stream projection after its document type.
    public override string Name => typeof(TDoc).Name;
    public override Type DocumentType => typeof(TDoc);

    private bool Handles(IEvent e) => handled.Contains(e.Data.GetType());

    public override IReadOnlyList<object> Fold(Guid streamId, IEnumerable<IEvent> events, long upTo)
    {
        TDoc? doc = null;
        foreach (var e in events)
            if (e.Sequence <= upTo && Handles(e)) doc = projection.Evolve(doc, streamId, e);
        return doc is null ? [] : [doc];
    }

    public override async Task<int> Apply(IDocumentSession session, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var mine = events.Where(Handles).ToList();
        if (mine.Count == 0) return 0;
        var ids = mine.Select(e => e.StreamId).Distinct().ToList();
        var docs = new Dictionary<Guid, TDoc?>();
        foreach (var id in ids) docs[id] = await session.LoadAsync<TDoc>(id, ct);
        foreach (var e in mine.OrderBy(e => e.Sequence)) docs[e.StreamId] = projection.Evolve(docs[e.StreamId], e.StreamId, e);
        foreach (var doc in docs.Values) if (doc is not null) session.Store(doc);
        return docs.Count;
    }

    public override void Replace(IDocumentSession session, Guid streamId, IReadOnlyList<object> documents)
    {
        if (documents is [TDoc doc]) session.Store(doc);
        else session.Delete<TDoc>(streamId);
    }
}

/// <summary>The migrations: several documents per server stream, each keyed by its migration.</summary>
public sealed class ReplayedMigrations : ReplayedProjection
{
    public override string Name => MigrationsProjection.Name;
    public override Type DocumentType => typeof(MigrationView);

    public override IReadOnlyList<object> Fold(Guid streamId, IEnumerable<IEvent> events, long upTo)
    {
        var server = new ServerMigrations(streamId, []);
        foreach (var e in events)
            if (e.Sequence <= upTo && ServerMigrations.Handles(e.Data)) server.Apply(e);
        return server.Migrations;
    }

    public override Task<int> Apply(IDocumentSession session, IReadOnlyList<IEvent> events, CancellationToken ct) =>
        MigrationsProjection.Apply(session, events, ct);

    public override void Replace(IDocumentSession session, Guid streamId, IReadOnlyList<object> documents)
    {
        // Removing only the others keeps the result independent of the order the session writes in.
        var keep = documents.Cast<MigrationView>().Select(m => m.Id).ToArray();
        session.DeleteWhere<MigrationView>(m => m.InstanceUuid == streamId && !m.Id.IsOneOf(keep));
        foreach (var m in documents) session.Store((MigrationView)m);
    }
}
