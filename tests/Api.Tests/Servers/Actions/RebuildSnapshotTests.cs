using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using Nova.Api.Tests.Infrastructure;
using Nova.Store.Images;

namespace Nova.Api.Tests.Servers.Actions;

/// <summary>createImage, createBackup and rebuild through RabbitMQ to the fake driver and back.</summary>
[Collection(StackCollection.Name)]
public sealed class RebuildSnapshotTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task A_snapshot_goes_active_with_Novas_properties_boots_a_server_and_rebuild_keeps_id_host_and_claim()
    {
        var user = stack.Client("rita:rebuilding", "2.45");
        var id = await user.CreateServer("origin");
        await user.WaitForStatus(id, "ACTIVE");

        var (status, body) = await user.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action",
            new { createImage = new { name = "origin-snap", metadata = new { purpose = "test" } } });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var imageId = Guid.Parse(body!["image_id"]!.GetValue<string>());
        var image = await WaitForImage(imageId, i => i.Status == "active");
        Assert.Equal(("origin-snap", "private", "rebuilding"), (image.Name, image.Visibility, image.OwnerProjectId));
        Assert.Equal(id, image.Properties["instance_uuid"]);
        Assert.Equal("snapshot", image.Properties["image_type"]);
        Assert.Equal(ControlPlaneStack.DefaultImage, image.Properties["base_image_ref"]);
        Assert.Equal("rita", image.Properties["user_id"]);
        Assert.Equal("test", image.Properties["purpose"]);
        var glance = (await user.Get($"/image/v2/images/{imageId}")).Body!;
        Assert.Equal(("snapshot", id), (glance["image_type"]!.GetValue<string>(), glance["instance_uuid"]!.GetValue<string>()));
        await user.WaitForStatus(id, "ACTIVE");

        var booted = await user.CreateServer("from-snapshot", image: imageId.ToString());
        Assert.Equal(imageId.ToString(), (await user.WaitForStatus(booted, "ACTIVE"))["image"]!["id"]!.GetValue<string>());

        var server = Guid.Parse(id);
        var before = await user.Server(id);
        var claim = (await stack.ComputeHost("fake-1")).Claims[server];
        (status, body) = await user.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action",
            new { rebuild = new { imageRef = imageId.ToString(), name = "rebuilt", metadata = new { role = "db" }, adminPass = "s3cret" } });
        Assert.True(status == HttpStatusCode.Accepted, body?.ToJsonString());
        Assert.Equal(("s3cret", id), (body!["server"]!["adminPass"]!.GetValue<string>(), body["server"]!["id"]!.GetValue<string>()));
        var after = await user.WaitForStatus(id, "ACTIVE");
        Assert.Equal(imageId.ToString(), after["image"]!["id"]!.GetValue<string>());
        Assert.Equal(("rebuilt", "db"), (after["name"]!.GetValue<string>(), after["metadata"]!["role"]!.GetValue<string>()));
        Assert.Equal(before["OS-EXT-SRV-ATTR:host"]?.ToJsonString(), after["OS-EXT-SRV-ATTR:host"]?.ToJsonString());
        Assert.Equal(before["flavor"]!.ToJsonString(), after["flavor"]!.ToJsonString());
        var host = await stack.ComputeHost("fake-1");
        Assert.Equal(claim, host.Claims[server]);

        var actions = await Eventually.Value(async () => (await user.Get($"/v2.1/servers/{id}/os-instance-actions")).Body!["instanceActions"]!.AsArray(),
            a => a.Count == 3, TimeSpan.FromSeconds(10), "three actions");
        Assert.Equal(["rebuild", "createImage", "create"], actions.Select(a => a!["action"]!.GetValue<string>()).ToArray());
        var rebuild = (await user.Get($"/v2.1/servers/{id}/os-instance-actions/{actions[0]!["request_id"]!.GetValue<string>()}")).Body!;
        Assert.Equal("compute_rebuild_instance", rebuild["instanceAction"]!["events"]![0]!["event"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_stopped_server_is_rebuilt_stopped()
    {
        var user = stack.Client("sam:rebuilding");
        var id = await user.CreateServer("sleeper");
        await user.WaitForStatus(id, "ACTIVE");
        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, new Dictionary<string, object?> { ["os-stop"] = null }));
        await user.WaitForStatus(id, "SHUTOFF");
        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, new { rebuild = new { imageRef = ControlPlaneStack.DefaultImage } }));
        var after = await user.WaitForStatus(id, "SHUTOFF");
        Assert.Equal(4, after["OS-EXT-STS:power_state"]!.GetValue<int>());
    }

    [Fact]
    public async Task Backup_rotation_deletes_exactly_the_oldest_beyond_the_rotation_and_zero_keeps_none()
    {
        var user = stack.Client("bob:backups", "2.45");
        var id = await user.CreateServer("backed");
        await user.WaitForStatus(id, "ACTIVE");
        var daily = new List<Guid>();
        for (var i = 0; i < 3; i++) daily.Add(await Backup(user, id, $"daily-{i}", "daily", 2));
        var weekly = await Backup(user, id, "weekly-0", "weekly", 1);

        await Eventually.True(async () => await Images(id, "daily") is { Count: 2 }, TimeSpan.FromSeconds(20), "two daily backups left");
        Assert.Equal(daily.Skip(1).ToHashSet(), (await Images(id, "daily")).Select(i => i.Id).ToHashSet());
        Assert.Equal("backup", (await Images(id, "weekly")).Single(i => i.Id == weekly).Properties["image_type"]);

        // Rotation 0 (as Nova): the new backup is made, then every daily backup goes, the new one too.
        await Backup(user, id, "daily-none", "daily", 0, waitActive: false);
        await Eventually.True(async () => await Images(id, "daily") is { Count: 0 }, TimeSpan.FromSeconds(20), "no daily backup left");
        Assert.Single(await Images(id, "weekly"));
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_Novas_codes_and_change_nothing()
    {
        var user = stack.Client("bea:rebuilding", "2.54");
        var id = await user.CreateServer("target");
        await user.WaitForStatus(id, "ACTIVE");
        var events = await stack.EventCount();
        Assert.Equal(HttpStatusCode.BadRequest, await user.Act(id, new { rebuild = new { name = "x" } }));
        Assert.Equal(HttpStatusCode.BadRequest, await user.Act(id, new { rebuild = new { imageRef = Guid.NewGuid().ToString() } }));
        Assert.Equal(HttpStatusCode.BadRequest, await user.Act(id, new { rebuild = new { imageRef = ControlPlaneStack.DefaultImage, key_name = "mine" } }));
        Assert.Equal(HttpStatusCode.BadRequest, await user.Act(id, new { rebuild = new { imageRef = ControlPlaneStack.DefaultImage, user_data = "x" } }));
        Assert.Equal(HttpStatusCode.BadRequest, await user.Act(id, new { createImage = new { metadata = new { } } }));
        Assert.Equal(HttpStatusCode.BadRequest, await user.Act(id, new { createBackup = new { name = "b", backup_type = "daily", rotation = -1 } }));
        Assert.Equal(HttpStatusCode.BadRequest, await user.Act(id, new { createBackup = new { name = "b", rotation = 1 } }));
        Assert.Equal(events, await stack.EventCount());

        // key_name null is accepted from 2.54; a locked server is rebuilt by admins only; a snapshot is still allowed.
        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, new Dictionary<string, object?> { ["lock"] = null }));
        Assert.Equal(HttpStatusCode.Conflict, await user.Act(id, new { rebuild = new { imageRef = ControlPlaneStack.DefaultImage, key_name = (string?)null } }));
        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, new { createImage = new { name = "locked-snap" } }));
        // One task at a time.
        Assert.Equal(HttpStatusCode.Conflict, await user.Act(id, new { createImage = new { name = "second" } }));
    }

    [Fact]
    public async Task Below_2_45_the_image_is_named_in_the_Location_header()
    {
        var user = stack.Client("lou:rebuilding", "2.44");
        var id = await user.CreateServer("located");
        await user.WaitForStatus(id, "ACTIVE");
        using var response = await user.PostAsJsonAsync($"/v2.1/servers/{id}/action", new { createImage = new { name = "loc" } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var imageId = Guid.Parse(response.Headers.Location!.ToString().TrimEnd('/').Split('/')[^1]);
        await WaitForImage(imageId, i => i.Status == "active");
    }

    private async Task<Guid> Backup(HttpClient user, string id, string name, string type, int rotation, bool waitActive = true)
    {
        await user.WaitForStatus(id, "ACTIVE");
        var (status, body) = await user.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action",
            new { createBackup = new { name, backup_type = type, rotation } });
        Assert.True(status == HttpStatusCode.Accepted, body?.ToJsonString());
        var imageId = Guid.Parse(body!["image_id"]!.GetValue<string>());
        if (waitActive) await WaitForImage(imageId, i => i.Status == "active");
        await user.WaitForStatus(id, "ACTIVE");
        return imageId;
    }

    private async Task<ImageRecord> WaitForImage(Guid imageId, Func<ImageRecord, bool> done) =>
        (await Eventually.Value(async () =>
        {
            await using var session = stack.Store.QuerySession();
            return await session.LoadAsync<ImageRecord>(imageId);
        }, i => i is not null && done(i), TimeSpan.FromSeconds(20), $"image {imageId}"))!;

    private async Task<List<ImageRecord>> Images(string serverId, string backupType)
    {
        await using var session = stack.Store.QuerySession();
        var all = await session.Query<ImageRecord>().ToListAsync();
        return all.Where(i => i.Properties.GetValueOrDefault("instance_uuid") == serverId
                              && i.Properties.GetValueOrDefault("backup_type") == backupType).ToList();
    }
}
