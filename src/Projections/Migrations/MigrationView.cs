namespace Nova.Projections.Migrations;

/// <summary>
/// Nova's migration record (GET /os-migrations, /servers/{id}/migrations): one document per resize or cold
/// migration, projected from the server's events by <see cref="MigrationsProjection"/>.
/// </summary>
public sealed class MigrationView
{
    /// <summary>Nova's <c>uuid</c> (2.59): the domain's <see cref="Domain.Servers.Migration.Id"/>.</summary>
    public Guid Id { get; set; }

    /// <summary>
    /// Nova's integer <c>id</c>. Nova's is an autoincrement; the global sequence number of the event that requested the
    /// migration is one too: positive, unique, increasing with creation, and the same after any rebuild (events never
    /// move). A hash of the uuid, as the service ids are, could collide between two migrations.
    /// </summary>
    public long Number { get; set; }

    public Guid InstanceUuid { get; set; }
    /// <summary>The server's project (its owner), which may differ from <see cref="ProjectId"/>, the requester's.</summary>
    public string ServerProjectId { get; set; } = "";
    /// <summary><c>resize</c> or <c>migration</c> (a cold migration).</summary>
    public string MigrationType { get; set; } = "";
    /// <summary>Nova's migration status, see <see cref="MigrationStatus"/>.</summary>
    public string Status { get; set; } = "";
    public string SourceCompute { get; set; } = "";
    public string SourceNode { get; set; } = "";
    public string? DestCompute { get; set; }
    public string? DestNode { get; set; }
    public string? DestHost { get; set; }
    public string OldFlavorId { get; set; } = "";
    public string NewFlavorId { get; set; } = "";
    /// <summary>Who asked for the migration (Nova's <c>user_id</c> and <c>project_id</c>, 2.80).</summary>
    public string? UserId { get; set; }
    public string? ProjectId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The server was deleted: Nova soft-deletes its migrations with it, and no list shows them again.</summary>
    public bool Deleted { get; set; }
}
