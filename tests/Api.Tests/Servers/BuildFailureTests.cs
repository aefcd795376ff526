using System.Net;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Servers;

/// <summary>A host whose hypervisor fails every spawn (the fake driver's failure injection).</summary>
public sealed class BuildFailureTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(SpawnFailureRate: 1.0));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task A_failed_spawn_puts_the_server_in_error_with_a_fault_records_the_error_and_releases_the_claim()
    {
        var client = stack.Client("ivan:fail");
        var id = await client.CreateServer("doomed");

        var server = await client.WaitForStatus(id, "ERROR");
        Assert.Contains("injected failure", (await stack.Client("admin:admin").Server(id))["fault"]!["details"]!.GetValue<string>());
        Assert.Equal(500, server["fault"]!["code"]!.GetValue<int>());
        Assert.Null(server["fault"]!["details"]); // a 500 fault's details are for admins only

        await Eventually.True(async () => !(await stack.ComputeHost("fake-1")).Claims.ContainsKey(Guid.Parse(id)),
            TimeSpan.FromSeconds(10), "claim released after the failed build");

        var actions = await Eventually.Value(async () => (await client.Get($"/v2.1/servers/{id}/os-instance-actions")).Body!["instanceActions"]!.AsArray(),
            a => a.Count == 1 && a[0]!["message"] is not null, TimeSpan.FromSeconds(10), "create action with error");
        var requestId = actions[0]!["request_id"]!.GetValue<string>();
        var (_, detail) = await client.Get($"/v2.1/servers/{id}/os-instance-actions/{requestId}");
        var build = detail!["instanceAction"]!["events"]!.AsArray().Single(e => e!["event"]!.GetValue<string>() == "compute__do_build_and_run_instance")!;
        Assert.Equal("Error", build["result"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await client.WaitUntilGone(id);
    }
}
