using Marten;
using Microsoft.Extensions.DependencyInjection;
using Nova.Api.Tests.Infrastructure;
using Nova.ComputeWorker.Drivers;
using Nova.ComputeWorker.Instances;
using Nova.Domain.Servers;

namespace Nova.Api.Tests.Faults;

/// <summary>
/// The host's reconciliation against the event store: a server whose guest vanished is reported (ERROR with a fault),
/// and guests no live server owns are recorded and destroyed.
/// </summary>
public sealed class ReconciliationTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(Settings: new Dictionary<string, string?>
    {
        ["Nova:Compute:ReconcileIntervalSeconds"] = "1",
        ["Nova:Reconcile:GraceSeconds"] = "0",
    }));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    private IComputeDriver Driver => stack.WorkerServices.GetServices<ComputeNode>().Single().Driver;

    [Fact]
    public async Task A_server_whose_guest_vanished_goes_to_error_and_keeps_its_claim_until_deleted()
    {
        var client = stack.Client("ann:reconcile");
        var id = await client.CreateServer("vanishing");
        await client.WaitForStatus(id, "ACTIVE");

        await Driver.Destroy(Guid.Parse(id), CancellationToken.None); // behind the control plane's back

        var server = await client.WaitForStatus(id, "ERROR", seconds: 30);
        Assert.Contains("gone from its host fake-1", server["fault"]!["message"]!.GetValue<string>());
        Assert.True((await stack.ComputeHost("fake-1")).Claims.ContainsKey(Guid.Parse(id)));
        await client.Send(HttpMethod.Delete, $"/v2.1/servers/{id}");
        await client.WaitUntilGone(id, seconds: 30);
        await Eventually.True(async () => !(await stack.ComputeHost("fake-1")).Claims.ContainsKey(Guid.Parse(id)),
            TimeSpan.FromSeconds(10), "claim released on delete");
    }

    [Fact]
    public async Task Guests_of_deleted_and_unknown_servers_are_destroyed_and_a_known_ones_recorded_in_its_history()
    {
        var client = stack.Client("bob:reconcile");
        var id = await client.CreateServer("left-behind");
        await client.WaitForStatus(id, "ACTIVE");
        await client.Send(HttpMethod.Delete, $"/v2.1/servers/{id}");
        await client.WaitUntilGone(id);
        var unknown = Guid.NewGuid();
        var flavor = Domain.Flavors.DefaultFlavors.All[0];
        // Guests the event store does not place here: a deleted server's, and one nobody ever created.
        await Driver.Spawn(new InstanceSpec(Guid.Parse(id), "left-behind", flavor, ControlPlaneStack.DefaultImage, "auto"), CancellationToken.None);
        await Driver.Spawn(new InstanceSpec(unknown, "stray", flavor, ControlPlaneStack.DefaultImage, "auto"), CancellationToken.None);

        await Eventually.True(() => Task.FromResult(!Driver.ListInstances().Contains(Guid.Parse(id)) && !Driver.ListInstances().Contains(unknown)),
            TimeSpan.FromSeconds(30), "orphans destroyed");
        await using var query = stack.Store.QuerySession();
        var history = await query.Events.FetchStreamAsync(Guid.Parse(id));
        var orphan = Assert.IsType<OrphanGuestFound>(history.Last(e => e.Data is OrphanGuestFound).Data);
        Assert.True(orphan.Reaped);
        Assert.Equal("fake-1", orphan.Host);
        // The deleted server stays deleted: the late teardown report changes nothing.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.Get($"/v2.1/servers/{id}")).Status);
    }
}
