using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Nova.Domain.Servers;

namespace Nova.Projections.Migrations;

/// <summary>
/// Builds <see cref="MigrationView"/> in the async daemon. A migration's document is keyed by the migration, not by the
/// stream, and needs its server's project from the server's first event, so this is a plain batch projection over
/// <see cref="ServerMigrations"/> rather than an aggregation: each batch loads the known migrations of the servers it
/// touches in one query, folds their events in order and stores what changed.
/// </summary>
public sealed class MigrationsProjection : IProjection
{
    public const string Name = nameof(MigrationView);

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation) =>
        Apply(operations, events, cancellation);

    /// <summary>Applies <paramref name="events"/> and answers how many documents it stored.</summary>
    public static async Task<int> Apply(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        // A create alone starts no migration; a stream matters once it has a migration or a delete event.
        var streams = events.Where(e => ServerMigrations.Handles(e.Data)).GroupBy(e => e.StreamId)
            .Where(s => s.Any(e => e.Data is not ServerCreateRequested)).ToList();
        if (streams.Count == 0) return 0;
        var ids = streams.Select(s => s.Key).ToArray();
        var known = (await operations.Query<MigrationView>().Where(m => m.InstanceUuid.IsOneOf(ids)).ToListAsync(ct))
            .ToLookup(m => m.InstanceUuid);
        var stored = 0;
        foreach (var stream in streams)
        {
            var server = new ServerMigrations(stream.Key, known[stream.Key]);
            if (server.ProjectId is null && stream.Any(e => ServerMigrations.Starts(e.Data)) && !stream.Any(e => e.Data is ServerCreateRequested))
                server.ProjectId = await ServerProject(operations, stream.Key, ct);
            foreach (var e in stream) server.Apply(e);
            foreach (var m in server.Changed)
            {
                operations.Store(m);
                stored++;
            }
        }
        return stored;
    }

    /// <summary>The project from the server's create event (the stream's first): events never change, so any reader agrees.</summary>
    private static async Task<string?> ServerProject(IQuerySession session, Guid serverId, CancellationToken ct) =>
        (await session.Events.FetchStreamAsync(serverId, version: 1, token: ct)).FirstOrDefault()?.Data is ServerCreateRequested c
            ? c.ProjectId : null;
}
