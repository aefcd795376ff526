using System.Net;
using Nova.Api.Tests.Infrastructure;
using Nova.Commands.Hosts;
using Nova.Domain.Hosts;

namespace Nova.Api.Tests.Hosts;

/// <summary>Deleting hosts on a two-host stack of its own whose hosts report only at start, so a deleted host stays gone.</summary>
public sealed class DeleteComputeServiceTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(Hosts: 2, ReportIntervalSeconds: 3600));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task A_host_holding_a_server_cannot_be_deleted_an_empty_one_can_and_disappears()
    {
        var admin = stack.Client("admin:admin");
        var tenant = stack.Client("pia:retire");
        var id = await tenant.CreateServer("keeps-its-host");
        await tenant.WaitForStatus(id, "ACTIVE");
        var busy = await admin.HostOf(id);
        var empty = busy == "fake-1" ? "fake-2" : "fake-1";

        var (status, error) = await admin.Send(HttpMethod.Delete, $"/v2.1/os-services/{ServiceIds.For(busy)}");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("Unable to delete compute service that is hosting 1 instance(s)", error!["conflictingRequest"]!["message"]!.GetValue<string>());
        Assert.Single(await admin.Services($"?host={busy}"));
        Assert.False((await stack.ComputeHost(busy)).Deleted);

        (status, _) = await admin.Send(HttpMethod.Delete, $"/v2.1/os-services/{ServiceIds.For(empty)}");
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Empty(await admin.Services($"?host={empty}"));
        Assert.DoesNotContain(await admin.Hypervisors(), h => h!.Text("hypervisor_hostname") == empty);
        Assert.True((await stack.ComputeHost(empty)).Deleted);
        (status, _) = await admin.Send(HttpMethod.Delete, $"/v2.1/os-services/{ServiceIds.For(empty)}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, _) = await admin.Send(HttpMethod.Put, "/v2.1/os-services/disable", new { host = empty, binary = "nova-compute" });
        Assert.Equal(HttpStatusCode.NotFound, status);

        // The deleted host takes no builds: the next server goes to the busy one.
        var next = await tenant.CreateServer("after-retirement");
        await tenant.WaitForStatus(next, "ACTIVE");
        Assert.Equal(busy, await admin.HostOf(next));

        // Once its servers are gone the busy host can go too, by UUID at 2.53.
        foreach (var server in new[] { id, next })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await tenant.Send(HttpMethod.Delete, $"/v2.1/servers/{server}")).Status);
            await tenant.WaitUntilGone(server);
        }
        await Eventually.True(async () => (await stack.ComputeHost(busy)).Claims.Count == 0, TimeSpan.FromSeconds(10), "claims released");
        (status, _) = await stack.Client("admin:admin", "2.53").Send(HttpMethod.Delete, $"/v2.1/os-services/{ComputeHostId.From(busy)}");
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Empty(await admin.Services("?binary=nova-compute"));
    }
}
