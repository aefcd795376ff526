using System.Net;
using Nova.Api.Tests.Infrastructure;
using Nova.Store.Hosts;

namespace Nova.Api.Tests.Servers;

/// <summary>A host that stopped reporting for 60 s is down: it gets no builds, and deletes of its servers complete here.</summary>
public sealed class HostDownTests : IAsyncLifetime
{
    // Reports only at start, so the test decides when the heartbeat is stale.
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(ReportIntervalSeconds: 3600));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task A_down_host_gets_no_builds_and_its_servers_are_deleted_locally_with_their_claims_released()
    {
        var client = stack.Client("mia:down");
        var id = await client.CreateServer("on-a-host");
        await client.WaitForStatus(id, "ACTIVE");

        await stack.StopWorker();
        await using (var session = stack.Store.LightweightSession())
        {
            var service = (await session.LoadAsync<ComputeService>("fake-1"))!;
            service.LastSeenAt = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(61);
            session.Store(service);
            await session.SaveChangesAsync();
        }

        var refused = await client.CreateServer("no-host-up");
        var error = await client.WaitForStatus(refused, "ERROR");
        Assert.Equal("No valid host was found.", error["fault"]!["message"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await client.WaitUntilGone(id, seconds: 5);
        Assert.False((await stack.ComputeHost("fake-1")).Claims.ContainsKey(Guid.Parse(id)));
    }
}
