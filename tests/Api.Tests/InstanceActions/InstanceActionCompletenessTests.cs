using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.InstanceActions;

/// <summary>
/// os-instance-actions is a projection of the events and loses no action: failed scheduling,
/// reschedules across hosts and a delete in the middle of a build all end with finish times and results.
/// </summary>
public sealed class InstanceActionCompletenessTests : IAsyncLifetime
{
    // Every spawn fails, slowly enough to delete a server while it is spawning.
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(Hosts: 2, SpawnFailureRate: 1.0, DelayMs: 1500));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task Reschedules_are_one_create_action_with_every_attempt_finished()
    {
        var client = stack.Client("rita:actions");
        var id = await client.CreateServer("retried");
        await client.WaitForStatus(id, "ERROR", seconds: 40);

        // As an admin at 2.62, who sees the hosts of the events.
        var create = await Finished(stack.Client("admin:admin", "2.62"), id, "create");
        Assert.Equal("Error", create["message"]!.GetValue<string>());
        var events = create["events"]!.AsArray();
        var schedules = events.Where(e => e!["event"]!.GetValue<string>() == "conductor_schedule_and_build_instances").ToList();
        var builds = events.Where(e => e!["event"]!.GetValue<string>() == "compute__do_build_and_run_instance").ToList();
        Assert.True(builds.Count >= 2, $"rescheduled at least once: {create.ToJsonString()}");
        Assert.All(builds, b => Assert.Equal("Error", b!["result"]!.GetValue<string>()));
        Assert.Equal(2, builds.Select(b => b!["host"]!.GetValue<string>()).Distinct().Count());
        // Each build was scheduled; once no untried host is left the last scheduling fails (no valid host).
        Assert.All(schedules.Take(builds.Count), s => Assert.Equal("Success", s!["result"]!.GetValue<string>()));
        Assert.Equal(builds.Count + 1, schedules.Count);
        Assert.Equal("Error", schedules[^1]!["result"]!.GetValue<string>());
        AssertAllFinished(create);
    }

    [Fact]
    public async Task Failed_scheduling_finishes_the_schedule_event_with_an_error()
    {
        var admin = stack.Client("admin:admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.Send(HttpMethod.Post, "/v2.1/flavors",
            new { flavor = new { name = "enormous", ram = 10_000_000, vcpus = 4096, disk = 1, id = "enormous" } })).Status);
        var client = stack.Client("rita:actions");
        var id = await client.CreateServer("unplaceable", "enormous");
        await client.WaitForStatus(id, "ERROR");

        var create = await Finished(client, id, "create");
        Assert.Equal("Error", create["message"]!.GetValue<string>());
        var schedule = Assert.Single(create["events"]!.AsArray());
        Assert.Equal("conductor_schedule_and_build_instances", schedule!["event"]!.GetValue<string>());
        Assert.Equal("Error", schedule["result"]!.GetValue<string>());
        AssertAllFinished(create);
    }

    [Fact]
    public async Task A_delete_during_the_build_closes_the_build_and_records_the_delete()
    {
        var client = stack.Client("rita:actions");
        var id = await client.CreateServer("short-lived");
        await Eventually.Value(() => client.Server(id), s => s["OS-EXT-STS:task_state"]?.GetValue<string>() == "spawning",
            TimeSpan.FromSeconds(20), "spawning");
        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await client.WaitUntilGone(id, seconds: 30);

        var create = await Finished(client, id, "create");
        var delete = await Finished(client, id, "delete");
        var build = create["events"]!.AsArray().Last(e => e!["event"]!.GetValue<string>() == "compute__do_build_and_run_instance")!;
        Assert.Equal("Error", build["result"]!.GetValue<string>());
        Assert.Equal("Error", create["message"]!.GetValue<string>());
        var terminate = Assert.Single(delete["events"]!.AsArray());
        Assert.Equal(("compute_terminate_instance", "Success"), (terminate!["event"]!.GetValue<string>(), terminate["result"]!.GetValue<string>()));
        AssertAllFinished(create);
        AssertAllFinished(delete);
    }

    /// <summary>The detail of the server's only action of that name, once none of its events is still running.</summary>
    private static async Task<JsonNode> Finished(HttpClient client, string id, string name)
    {
        var list = await Eventually.Value(async () => (await client.Get($"/v2.1/servers/{id}/os-instance-actions")).Body!["instanceActions"]!.AsArray(),
            a => a.Any(x => x!["action"]!.GetValue<string>() == name), TimeSpan.FromSeconds(10), $"{name} action listed");
        var requestId = list.Single(a => a!["action"]!.GetValue<string>() == name)!["request_id"]!.GetValue<string>();
        return await Eventually.Value(async () => (await client.Get($"/v2.1/servers/{id}/os-instance-actions/{requestId}")).Body!["instanceAction"]!,
            a => a["events"]!.AsArray().Count > 0 && a["events"]!.AsArray().All(e => e!["finish_time"] is not null),
            TimeSpan.FromSeconds(15), $"{name} action finished");
    }

    private static void AssertAllFinished(JsonNode action)
    {
        foreach (var e in action["events"]!.AsArray())
        {
            Assert.NotNull(e!["start_time"]);
            Assert.NotNull(e["finish_time"]);
            Assert.Contains(e["result"]!.GetValue<string>(), new[] { "Success", "Error" });
        }
    }
}
