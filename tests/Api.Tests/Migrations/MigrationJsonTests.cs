using Microsoft.AspNetCore.Http;
using Nova.Api.Http;
using Nova.Api.Migrations;
using Nova.Projections.Migrations;

namespace Nova.Api.Tests.Migrations;

/// <summary>The shapes of Nova's api_samples for os-migrations and server-migrations, microversion by microversion.</summary>
public sealed class MigrationJsonTests
{
    private static readonly string[] V20 =
    [
        "created_at", "dest_compute", "dest_host", "dest_node", "id", "instance_uuid", "new_instance_type_id",
        "old_instance_type_id", "source_compute", "source_node", "status", "updated_at",
    ];

    private static readonly MigrationView Resize = new()
    {
        Id = Guid.NewGuid(), Number = 42, InstanceUuid = Guid.NewGuid(), ServerProjectId = "p1", MigrationType = "resize",
        Status = MigrationStatus.Finished, SourceCompute = "src", SourceNode = "src", DestCompute = "dst", DestNode = "dst",
        DestHost = "dst", OldFlavorId = "1", NewFlavorId = "2", UserId = "mia", ProjectId = "p1",
        CreatedAt = new DateTimeOffset(2026, 1, 29, 13, 42, 2, TimeSpan.Zero), UpdatedAt = new DateTimeOffset(2026, 1, 29, 13, 45, 0, TimeSpan.Zero),
    };

    private static HttpContext Http()
    {
        var http = new DefaultHttpContext();
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("openstack.example.com");
        return http;
    }

    [Theory]
    [InlineData(1, new string[0])]
    [InlineData(22, new string[0])]
    [InlineData(23, new[] { "migration_type" })]
    [InlineData(58, new[] { "migration_type" })]
    [InlineData(59, new[] { "migration_type", "uuid" })]
    [InlineData(79, new[] { "migration_type", "uuid" })]
    [InlineData(80, new[] { "migration_type", "uuid", "user_id", "project_id" })]
    public void A_list_item_has_the_fields_of_its_microversion(int minor, string[] added)
    {
        var body = MigrationJson.Item(Http(), Resize, new Microversion(2, minor), withHosts: true);

        Assert.Equal(V20.Concat(added).Order(), body.Keys.Order());
        Assert.Equal(42L, body["id"]);
        Assert.Equal((1L, 2L), ((long)body["old_instance_type_id"]!, (long)body["new_instance_type_id"]!));
        Assert.Equal("2026-01-29T13:42:02.000000", body["created_at"]);
        Assert.Equal("finished", body["status"]);
        if (minor >= 59) Assert.Equal(Resize.Id.ToString(), body["uuid"]);
        if (minor >= 80) Assert.Equal(("mia", "p1"), ((string?)body["user_id"], (string?)body["project_id"]));
    }

    [Fact]
    public void Without_the_host_rule_the_host_fields_are_there_but_null()
    {
        var body = MigrationJson.Item(Http(), Resize, new Microversion(2, 59), withHosts: false);

        foreach (var key in new[] { "source_compute", "source_node", "dest_compute", "dest_node", "dest_host" })
            Assert.True(body.ContainsKey(key) && body[key] is null, key);
        Assert.Null(MigrationJson.OfServer(Resize, new Microversion(2, 23), withHosts: false)["dest_compute"]);
    }

    [Fact]
    public void Only_a_live_migration_in_progress_has_links_to_its_server_migration()
    {
        var live = new MigrationView { Id = Guid.NewGuid(), Number = 7, InstanceUuid = Guid.NewGuid(), MigrationType = "live-migration", Status = "running" };
        var done = new MigrationView { Id = Guid.NewGuid(), Number = 8, InstanceUuid = live.InstanceUuid, MigrationType = "live-migration", Status = "completed" };

        var body = MigrationJson.Item(Http(), live, new Microversion(2, 23), withHosts: true);

        var links = System.Text.Json.JsonSerializer.Serialize(body["links"]);
        Assert.Contains($"http://openstack.example.com/v2.1/servers/{live.InstanceUuid}/migrations/7", links);
        Assert.Contains($"http://openstack.example.com/servers/{live.InstanceUuid}/migrations/7", links);
        Assert.False(MigrationJson.Item(Http(), done, new Microversion(2, 23), withHosts: true).ContainsKey("links"));
        Assert.False(MigrationJson.Item(Http(), Resize, new Microversion(2, 72), withHosts: true).ContainsKey("links"));
        Assert.False(MigrationJson.Item(Http(), live, new Microversion(2, 22), withHosts: true).ContainsKey("links"));
    }

    [Theory]
    [InlineData(23, new string[0])]
    [InlineData(59, new[] { "uuid" })]
    [InlineData(80, new[] { "uuid", "user_id", "project_id" })]
    public void A_server_migration_has_the_fields_of_its_microversion(int minor, string[] added)
    {
        string[] v223 =
        [
            "created_at", "dest_compute", "dest_host", "dest_node", "disk_processed_bytes", "disk_remaining_bytes",
            "disk_total_bytes", "id", "memory_processed_bytes", "memory_remaining_bytes", "memory_total_bytes",
            "server_uuid", "source_compute", "source_node", "status", "updated_at",
        ];

        var body = MigrationJson.OfServer(Resize, new Microversion(2, minor), withHosts: true);

        Assert.Equal(v223.Concat(added).Order(), body.Keys.Order());
        Assert.Equal(Resize.InstanceUuid.ToString(), body["server_uuid"]);
        Assert.Equal("src", body["source_compute"]);
    }

    [Fact]
    public void Flavor_numbers_are_numeric_flavor_ids_or_a_stable_positive_number()
    {
        Assert.Equal(42L, MigrationJson.FlavorNumber("42"));
        var derived = MigrationJson.FlavorNumber("c1a2-custom");
        Assert.InRange(derived, 1, int.MaxValue);
        Assert.Equal(derived, MigrationJson.FlavorNumber("c1a2-custom"));
        Assert.NotEqual(derived, MigrationJson.FlavorNumber("c1a2-other"));
        Assert.InRange(MigrationJson.FlavorNumber("0"), 1, int.MaxValue);
    }
}
