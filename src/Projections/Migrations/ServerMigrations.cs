using JasperFx.Events;
using Nova.Domain.Servers;
using Nova.Store;

namespace Nova.Projections.Migrations;

/// <summary>
/// One server's migrations, folded from its stream: the daemon's projection and the operator's rebuild both fold
/// through here, so a rebuild builds what the daemon built.
/// </summary>
public sealed class ServerMigrations(Guid serverId, IEnumerable<MigrationView> known)
{
    private readonly List<MigrationView> migrations = known.ToList();
    private readonly HashSet<MigrationView> changed = new();

    public Guid ServerId => serverId;
    /// <summary>The server's project: from its create event, or from a migration already projected.</summary>
    public string? ProjectId { get; set; } = known.FirstOrDefault()?.ServerProjectId;
    public IReadOnlyList<MigrationView> Migrations => migrations;
    public IEnumerable<MigrationView> Changed => changed;

    /// <summary>Whether <paramref name="data"/> may change a migration (or is needed to build one).</summary>
    public static bool Handles(object data) => data is ServerCreateRequested or ServerDeleted || MigrationIdOf(data) is not null;

    /// <summary>Whether the fold needs <see cref="ProjectId"/> for <paramref name="data"/> (it starts a migration).</summary>
    public static bool Starts(object data) => data is ServerResizeRequested;

    public void Apply(IEvent e)
    {
        switch (e.Data)
        {
            case ServerCreateRequested c:
                ProjectId = c.ProjectId;
                return;
            case ServerDeleted:
                foreach (var m in migrations.Where(m => !m.Deleted))
                {
                    m.Deleted = true;
                    m.UpdatedAt = e.Timestamp;
                    changed.Add(m);
                }
                return;
            case ServerResizeRequested r:
                if (migrations.Any(m => m.Id == r.Migration.Id)) return;
                migrations.Add(Start(e, r));
                break;
        }
        if (MigrationIdOf(e.Data) is not { } id || migrations.FirstOrDefault(m => m.Id == id) is not { } migration) return;
        if (e.Data is ServerResizeScheduled s)
        {
            // The host's name is its node (hypervisor_hostname) and the address this control plane reaches it by:
            // hosts report no IP address of their own.
            migration.DestCompute = migration.DestNode = migration.DestHost = s.TargetHost;
        }
        migration.Status = MigrationStatus.After(migration.Status, e.Data) ?? migration.Status;
        migration.UpdatedAt = e.Timestamp;
        changed.Add(migration);
    }

    private MigrationView Start(IEvent e, ServerResizeRequested r) => new()
    {
        Id = r.Migration.Id,
        Number = e.Sequence,
        InstanceUuid = serverId,
        ServerProjectId = ProjectId ?? "",
        MigrationType = r.Migration.Kind == MigrationKind.Migrate ? "migration" : "resize",
        SourceCompute = r.Migration.SourceHost,
        SourceNode = r.Migration.SourceHost,
        OldFlavorId = r.Migration.OldFlavor.Id,
        NewFlavorId = r.Migration.NewFlavor.Id,
        UserId = e.GetHeader(EventHeaders.UserId)?.ToString(),
        ProjectId = e.GetHeader(EventHeaders.ProjectId)?.ToString(),
        CreatedAt = e.Timestamp,
        UpdatedAt = e.Timestamp,
    };

    public static Guid? MigrationIdOf(object data) => data switch
    {
        ServerResizeRequested e => e.Migration.Id,
        ServerResizeScheduled e => e.MigrationId,
        ServerResizeStepStarted e => e.MigrationId,
        ServerResizeMigrated e => e.MigrationId,
        ServerResized e => e.MigrationId,
        ServerResizeConfirmRequested e => e.MigrationId,
        ServerResizeConfirmed e => e.MigrationId,
        ServerResizeRevertRequested e => e.MigrationId,
        ServerResizeRolledBackOnTarget e => e.MigrationId,
        ServerResizeReverted e => e.MigrationId,
        ServerResizeFailed e => e.MigrationId,
        _ => null,
    };
}
