using Nova.Api.Tests.Grpc;
using Nova.Api.Tests.Infrastructure;
using Nova.Compute.V1;

namespace Nova.Api.Tests.Audit;

/// <summary>
/// Host names and fault details in a server's history are for admins (Nova's instance-action event details rule):
/// a member reads its server's history and instance-action events without them, an admin with them.
/// </summary>
public sealed class HistoryVisibilityTests : IAsyncLifetime
{
    // Every spawn fails, so the history holds a host and a fault with details (the injected failure).
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(SpawnFailureRate: 1.0));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task A_member_sees_no_host_or_fault_details_in_the_history_an_admin_does()
    {
        var member = stack.Client("rita:history", "2.62");
        var admin = stack.Client("admin:admin", "2.62");
        var id = await member.CreateServer("failing");
        await member.WaitForStatus(id, "ERROR");

        var asMember = (await member.Get($"/v2.1/servers/{id}/events")).Body!.ToJsonString();
        var asAdmin = (await admin.Get($"/v2.1/servers/{id}/events")).Body!.ToJsonString();
        Assert.Contains("fake-1", asAdmin);
        Assert.Contains("\"Details\":", asAdmin);
        Assert.DoesNotContain("fake-1", asMember);
        // The fault's code and message stay (as on the server itself); its details do not.
        static IEnumerable<string> Types(string history) =>
            System.Text.Json.Nodes.JsonNode.Parse(history)!["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>());
        Assert.Equal(Types(asAdmin), Types(asMember));
        Assert.DoesNotContain("\"Details\":", asMember);

        using (var grpc = stack.Grpc("rita:history"))
        {
            var events = await grpc.Events.ListServerEventsAsync(new ListServerEventsRequest { ServerId = id });
            Assert.NotEmpty(events.Events);
            Assert.DoesNotContain(events.Events, e => e.DataJson.Contains("fake-1") || e.DataJson.Contains("\"Details\":"));
        }

        var requestId = (await member.Get($"/v2.1/servers/{id}/os-instance-actions")).Body!["instanceActions"]![0]!["request_id"]!.GetValue<string>();
        var memberEvents = (await member.Get($"/v2.1/servers/{id}/os-instance-actions/{requestId}")).Body!["instanceAction"]!["events"]!.AsArray();
        var adminEvents = (await admin.Get($"/v2.1/servers/{id}/os-instance-actions/{requestId}")).Body!["instanceAction"]!["events"]!.AsArray();
        Assert.All(memberEvents, e => Assert.False(e!.AsObject().ContainsKey("host") || e.AsObject().ContainsKey("traceback")));
        Assert.All(memberEvents, e => Assert.True(e!.AsObject().ContainsKey("hostId")));
        Assert.Contains(adminEvents, e => e!["host"]?.GetValue<string>() == "fake-1");
        Assert.Contains(adminEvents, e => e!["traceback"]?.GetValue<string>()?.Contains("injected failure") == true);
    }
}
