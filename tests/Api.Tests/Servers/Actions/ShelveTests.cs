using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Nova.Api.Tests.Infrastructure;
using Nova.ComputeWorker.Instances;
using Nova.Store.Images;

namespace Nova.Api.Tests.Servers.Actions;

/// <summary>shelve with Nova's default shelved_offload_time 0: offloaded at once, claim released; unshelve schedules again.</summary>
[Collection(StackCollection.Name)]
public sealed class ShelveTests(ControlPlaneStack stack)
{
    private static Dictionary<string, object?> Action(string name) => new() { [name] = null };

    [Fact]
    public async Task Shelve_offloads_at_once_and_unshelve_boots_from_the_shelve_image_then_deletes_it()
    {
        var user = stack.Client("sheila:shelving");
        var id = await user.CreateServer("shelf");
        await user.WaitForStatus(id, "ACTIVE");
        var server = Guid.Parse(id);

        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, Action("shelve")));
        var offloaded = await user.WaitForStatus(id, "SHELVED_OFFLOADED");
        Assert.Equal("shelved_offloaded", offloaded["OS-EXT-STS:vm_state"]!.GetValue<string>());
        Assert.False((await stack.ComputeHost("fake-1")).Claims.ContainsKey(server));
        Assert.Null(Node.Driver.GetPowerState(server));
        var image = await ShelveImage(server);
        Assert.NotNull(image);
        Assert.Equal(("shelf-shelved", "private", "shelving"), (image!.Name, image.Visibility, image.OwnerProjectId));

        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, Action("unshelve")));
        var active = await user.WaitForStatus(id, "ACTIVE");
        Assert.Equal(1, active["OS-EXT-STS:power_state"]!.GetValue<int>());
        Assert.True((await stack.ComputeHost("fake-1")).Claims.ContainsKey(server));
        Assert.NotNull(Node.Driver.GetPowerState(server));
        await using (var session = stack.Store.QuerySession())
            Assert.Null(await session.LoadAsync<ImageRecord>(image.Id));

        var actions = await Eventually.Value(async () => (await user.Get($"/v2.1/servers/{id}/os-instance-actions")).Body!["instanceActions"]!.AsArray(),
            a => a.Count == 4, TimeSpan.FromSeconds(10), "four actions");
        Assert.Equal(["unshelve", "shelveOffload", "shelve", "create"], actions.Select(a => a!["action"]!.GetValue<string>()).ToArray());
        Assert.All(actions, a => Assert.Null(a!["message"]));
    }

    [Fact]
    public async Task A_shelved_offloaded_server_is_deleted_at_once_with_its_image_and_quota()
    {
        var user = stack.Client("dora:shelving");
        var id = await user.CreateServer("gone");
        await user.WaitForStatus(id, "ACTIVE");
        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, Action("shelve")));
        await user.WaitForStatus(id, "SHELVED_OFFLOADED");
        var image = await ShelveImage(Guid.Parse(id));

        Assert.Equal(HttpStatusCode.NoContent, (await user.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await user.WaitUntilGone(id);
        await using var session = stack.Store.QuerySession();
        Assert.Null(await session.LoadAsync<ImageRecord>(image!.Id));
        var usage = await session.LoadAsync<Domain.Quotas.ProjectUsage>(Domain.Quotas.ProjectUsageId.From("shelving"));
        Assert.False(usage?.Servers.ContainsKey(Guid.Parse(id)) ?? false);
    }

    [Fact]
    public async Task Shelve_offload_and_unshelve_are_refused_where_Nova_refuses_them()
    {
        var user = stack.Client("ursula:shelving");
        var id = await user.CreateServer("stays");
        await user.WaitForStatus(id, "ACTIVE");
        Assert.Equal(HttpStatusCode.Conflict, await user.Act(id, Action("unshelve")));
        // shelveOffload is an admin's action (Nova's default policy)…
        Assert.Equal(HttpStatusCode.Forbidden, await user.Act(id, Action("shelveOffload")));
        // …and only from SHELVED.
        Assert.Equal(HttpStatusCode.Conflict, await stack.Client("admin:admin").Act(id, Action("shelveOffload")));
    }

    private ComputeNode Node => stack.WorkerServices.GetServices<ComputeNode>().Single();

    private async Task<ImageRecord?> ShelveImage(Guid serverId)
    {
        await using var session = stack.Store.QuerySession();
        var state = await session.Events.AggregateStreamAsync<Domain.Servers.Server>(serverId);
        return state?.ShelveImageId is { } image ? await session.LoadAsync<ImageRecord>(image) : null;
    }
}

/// <summary>shelved_offload_time −1: a shelved server stays on its host (claim kept) until an admin offloads it.</summary>
public sealed class ShelveWithoutOffloadTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(
        Settings: new Dictionary<string, string?> { ["Nova:ShelvedOffloadTime"] = "-1" }));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    private static Dictionary<string, object?> Action(string name) => new() { [name] = null };

    [Fact]
    public async Task Shelved_keeps_its_host_until_an_admin_offloads_and_unshelve_from_shelved_powers_it_on()
    {
        var user = stack.Client("kim:keep");
        var admin = stack.Client("admin:admin");
        var node = stack.WorkerServices.GetServices<ComputeNode>().Single();
        var first = await user.CreateServer("kept");
        var second = await user.CreateServer("offloaded");
        await user.WaitForStatus(first, "ACTIVE");
        await user.WaitForStatus(second, "ACTIVE");

        Assert.Equal(HttpStatusCode.Accepted, await user.Act(first, Action("shelve")));
        var shelved = await user.WaitForStatus(first, "SHELVED");
        Assert.Equal(4, shelved["OS-EXT-STS:power_state"]!.GetValue<int>());
        Assert.True((await stack.ComputeHost("fake-1")).Claims.ContainsKey(Guid.Parse(first)));
        Assert.Equal(Domain.Servers.PowerState.Shutdown, node.Driver.GetPowerState(Guid.Parse(first)));
        Assert.Equal(HttpStatusCode.Accepted, await user.Act(first, Action("unshelve")));
        await user.WaitForStatus(first, "ACTIVE");
        Assert.Equal(Domain.Servers.PowerState.Running, node.Driver.GetPowerState(Guid.Parse(first)));

        Assert.Equal(HttpStatusCode.Accepted, await user.Act(second, Action("shelve")));
        await user.WaitForStatus(second, "SHELVED");
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(second, Action("shelveOffload")));
        await user.WaitForStatus(second, "SHELVED_OFFLOADED");
        Assert.False((await stack.ComputeHost("fake-1")).Claims.ContainsKey(Guid.Parse(second)));
        Assert.Null(node.Driver.GetPowerState(Guid.Parse(second)));
    }
}

/// <summary>A positive shelved_offload_time: the control plane's periodic task offloads shelved servers after it.</summary>
public sealed class ShelvedOffloadSweepTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(
        Settings: new Dictionary<string, string?> { ["Nova:ShelvedOffloadTime"] = "2" }));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task A_shelved_server_is_offloaded_once_its_time_is_up()
    {
        var user = stack.Client("tim:timed");
        var id = await user.CreateServer("timed");
        await user.WaitForStatus(id, "ACTIVE");
        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, new Dictionary<string, object?> { ["shelve"] = null }));
        await user.WaitForStatus(id, "SHELVED");
        await user.WaitForStatus(id, "SHELVED_OFFLOADED", seconds: 30);
        Assert.False((await stack.ComputeHost("fake-1")).Claims.ContainsKey(Guid.Parse(id)));
    }
}
