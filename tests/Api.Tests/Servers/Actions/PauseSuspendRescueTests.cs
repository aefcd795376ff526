using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Nova.Api.Tests.Infrastructure;
using Nova.ComputeWorker.Drivers.Fake;
using Nova.ComputeWorker.Instances;
using Nova.Domain.Servers;

namespace Nova.Api.Tests.Servers.Actions;

/// <summary>pause, suspend and rescue through the API, RabbitMQ and the fake driver, and back.</summary>
[Collection(StackCollection.Name)]
public sealed class PauseSuspendRescueTests(ControlPlaneStack stack)
{
    private FakeDriver Hypervisor => (FakeDriver)stack.WorkerServices.GetServices<ComputeNode>().Single().Driver;

    private static Dictionary<string, object?> Action(string name) => new() { [name] = null };

    [Fact]
    public async Task Pause_and_unpause_move_the_guest_and_the_record_together()
    {
        var user = stack.Client("petra:pausing");
        var id = await user.CreateServer("paused");
        await user.WaitForStatus(id, "ACTIVE");

        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, Action("pause")));
        var paused = await user.WaitForStatus(id, "PAUSED");
        Assert.Equal(("paused", 3), (paused["OS-EXT-STS:vm_state"]!.GetValue<string>(), paused["OS-EXT-STS:power_state"]!.GetValue<int>()));
        Assert.Equal(PowerState.Paused, Hypervisor.GetPowerState(Guid.Parse(id)));

        var (again, body) = await user.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action", Action("pause"));
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("vm_state paused", body!["conflictingRequest"]!["message"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, Action("unpause")));
        await user.WaitForStatus(id, "ACTIVE");
        Assert.Equal(PowerState.Running, Hypervisor.GetPowerState(Guid.Parse(id)));

        var actions = await Eventually.Value(async () => (await user.Get($"/v2.1/servers/{id}/os-instance-actions")).Body!["instanceActions"]!.AsArray(),
            a => a.Count == 3, TimeSpan.FromSeconds(10), "three actions");
        Assert.Equal(["unpause", "pause", "create"], actions.Select(a => a!["action"]!.GetValue<string>()).ToArray());
        var pause = actions[1]!["request_id"]!.GetValue<string>();
        var (_, detail) = await stack.Client("admin:admin").Get($"/v2.1/servers/{id}/os-instance-actions/{pause}");
        var ev = Assert.Single(detail!["instanceAction"]!["events"]!.AsArray());
        Assert.Equal(("compute_pause_instance", "Success"), (ev!["event"]!.GetValue<string>(), ev["result"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Suspend_and_resume()
    {
        var user = stack.Client("sam:suspending");
        var id = await user.CreateServer("suspended");
        await user.WaitForStatus(id, "ACTIVE");

        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, Action("suspend")));
        var suspended = await user.WaitForStatus(id, "SUSPENDED");
        Assert.Equal(7, suspended["OS-EXT-STS:power_state"]!.GetValue<int>());
        Assert.Equal(PowerState.Suspended, Hypervisor.GetPowerState(Guid.Parse(id)));
        Assert.Equal(HttpStatusCode.Conflict, await user.Act(id, Action("pause")));

        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, Action("resume")));
        await user.WaitForStatus(id, "ACTIVE");
        Assert.Equal(PowerState.Running, Hypervisor.GetPowerState(Guid.Parse(id)));
    }

    [Fact]
    public async Task Rescue_answers_an_admin_password_and_boots_the_rescue_image_until_unrescue()
    {
        var user = stack.Client("rita:rescuing");
        var id = await user.CreateServer("rescued");
        await user.WaitForStatus(id, "ACTIVE");

        var (status, body) = await user.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action",
            new { rescue = new { adminPass = "s3cret", rescue_image_ref = ControlPlaneStack.DefaultImage } });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("s3cret", body!["adminPass"]!.GetValue<string>());
        var rescued = await user.WaitForStatus(id, "RESCUE");
        Assert.Equal("rescued", rescued["OS-EXT-STS:vm_state"]!.GetValue<string>());
        Assert.Equal(ControlPlaneStack.DefaultImage, Hypervisor.RescueImageOf(Guid.Parse(id)));
        Assert.Equal(HttpStatusCode.Conflict, await user.Act(id, new Dictionary<string, object?> { ["rescue"] = null }));

        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, Action("unrescue")));
        await user.WaitForStatus(id, "ACTIVE");
        Assert.Null(Hypervisor.RescueImageOf(Guid.Parse(id)));

        // Without a body Nova generates the password.
        (status, body) = await user.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action", Action("rescue"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body!["adminPass"]!.GetValue<string>().Length >= 8);
        await user.WaitForStatus(id, "RESCUE");
    }

    [Fact]
    public async Task Rescue_with_a_bad_image_is_refused_and_changes_nothing()
    {
        var user = stack.Client("rob:rescuing");
        var id = await user.CreateServer("not-rescued");
        await user.WaitForStatus(id, "ACTIVE");
        var before = await stack.EventCount();

        var (status, body) = await user.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action", new { rescue = new { rescue_image_ref = "not-a-uuid" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("rescue_image_ref", body!["badRequest"]!["message"]!.GetValue<string>());
        (status, body) = await user.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action", new { rescue = new { rescue_image_ref = Guid.NewGuid() } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("could not be found", body!["badRequest"]!["message"]!.GetValue<string>());

        Assert.Equal(before, await stack.EventCount());
        Assert.Equal("ACTIVE", (await user.Server(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_projects_server_is_not_found_and_a_locked_one_refuses_its_owner()
    {
        var owner = stack.Client("olga:owned");
        var id = await owner.CreateServer("owned");
        await owner.WaitForStatus(id, "ACTIVE");

        Assert.Equal(HttpStatusCode.NotFound, await stack.Client("eve:elsewhere").Act(id, Action("pause")));
        Assert.Equal(HttpStatusCode.NotFound, await stack.Client("eve:elsewhere").Act(id, Action("shelve")));
        Assert.Equal(HttpStatusCode.Conflict, await owner.Act(id, Action("unpause")));
        Assert.Equal(HttpStatusCode.Accepted, await owner.Act(id, new Dictionary<string, object?> { ["lock"] = null }));
        var (status, body) = await owner.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action", Action("suspend"));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal($"Instance {id} is locked", body!["conflictingRequest"]!["message"]!.GetValue<string>());
    }
}
