using System.Globalization;
using Nova.Api.Http;
using Nova.Domain;
using Nova.Projections.Migrations;

namespace Nova.Api.Migrations;

/// <summary>Nova's migration shapes, by microversion (doc/api_samples/os-migrations and server-migrations).</summary>
public static class MigrationJson
{
    public const string LiveMigration = "live-migration";

    /// <summary>The statuses of a live migration in progress, the only ones Nova links to and shows under a server.</summary>
    public static readonly IReadOnlySet<string> LiveInProgress = new HashSet<string> { "queued", "preparing", "running", "post-migrating" };

    public static bool IsLiveInProgress(MigrationView m) => m.MigrationType == LiveMigration && LiveInProgress.Contains(m.Status);

    /// <summary>
    /// One item of GET /os-migrations: migration_type (and links, for a live migration in progress) from 2.23, uuid from
    /// 2.59, user_id and project_id from 2.80. Without <paramref name="withHosts"/> (Nova's <c>index:host</c> rule) the
    /// host fields are there but null.
    /// </summary>
    public static Dictionary<string, object?> Item(HttpContext http, MigrationView m, Microversion version, bool withHosts)
    {
        var body = new Dictionary<string, object?>
        {
            ["created_at"] = NovaJson.UsageTime(m.CreatedAt),
            ["dest_compute"] = withHosts ? m.DestCompute : null,
            ["dest_host"] = withHosts ? m.DestHost : null,
            ["dest_node"] = withHosts ? m.DestNode : null,
            ["id"] = m.Number,
            ["instance_uuid"] = m.InstanceUuid.ToString(),
            ["new_instance_type_id"] = FlavorNumber(m.NewFlavorId),
            ["old_instance_type_id"] = FlavorNumber(m.OldFlavorId),
            ["source_compute"] = withHosts ? m.SourceCompute : null,
            ["source_node"] = withHosts ? m.SourceNode : null,
            ["status"] = m.Status,
            ["updated_at"] = NovaJson.UsageTime(m.UpdatedAt),
        };
        if (version.AtLeast(23))
        {
            body["migration_type"] = m.MigrationType;
            if (IsLiveInProgress(m)) body["links"] = Links.For(http, $"servers/{m.InstanceUuid}/migrations", m.Number.ToString(CultureInfo.InvariantCulture));
        }
        if (version.AtLeast(59)) body["uuid"] = m.Id.ToString();
        if (version.AtLeast(80))
        {
            body["user_id"] = m.UserId;
            body["project_id"] = m.ProjectId;
        }
        return body;
    }

    /// <summary>A migration under /servers/{id}/migrations (2.23): a live migration's progress fields, uuid from 2.59, user_id and project_id from 2.80.</summary>
    public static Dictionary<string, object?> OfServer(MigrationView m, Microversion version, bool withHosts)
    {
        var body = new Dictionary<string, object?>
        {
            ["created_at"] = NovaJson.UsageTime(m.CreatedAt),
            ["dest_compute"] = withHosts ? m.DestCompute : null,
            ["dest_host"] = withHosts ? m.DestHost : null,
            ["dest_node"] = withHosts ? m.DestNode : null,
            // Memory and disk progress are a live migration's; none is tracked here.
            ["disk_processed_bytes"] = null,
            ["disk_remaining_bytes"] = null,
            ["disk_total_bytes"] = null,
            ["id"] = m.Number,
            ["memory_processed_bytes"] = null,
            ["memory_remaining_bytes"] = null,
            ["memory_total_bytes"] = null,
            ["server_uuid"] = m.InstanceUuid.ToString(),
            ["source_compute"] = withHosts ? m.SourceCompute : null,
            ["source_node"] = withHosts ? m.SourceNode : null,
            ["status"] = m.Status,
            ["updated_at"] = NovaJson.UsageTime(m.UpdatedAt),
        };
        if (version.AtLeast(59)) body["uuid"] = m.Id.ToString();
        if (version.AtLeast(80))
        {
            body["user_id"] = m.UserId;
            body["project_id"] = m.ProjectId;
        }
        return body;
    }

    /// <summary>
    /// Nova's <c>old_instance_type_id</c> / <c>new_instance_type_id</c> are integers (its flavors' database ids), where
    /// flavors here have only their flavor id: a numeric flavor id is itself, any other a stable positive number derived
    /// from it, as the service ids are from host names.
    /// </summary>
    public static long FlavorNumber(string flavorId) =>
        long.TryParse(flavorId, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : BitConverter.ToUInt32(NameBasedId.From($"nova-flavor:{flavorId}").ToByteArray(), 0) & 0x7FFFFFFF;
}
