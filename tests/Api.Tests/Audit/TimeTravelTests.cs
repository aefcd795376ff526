using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Audit;

/// <summary>GET /servers/{id}?as_of= / ?as_of_version=: the server as the same call showed it then, replayed from its events.</summary>
[Collection(StackCollection.Name)]
public sealed class TimeTravelTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task A_server_at_a_past_time_or_version_is_exactly_what_the_read_model_showed_then_even_after_deletion()
    {
        var owner = stack.Client("tess:travel");
        var admin = stack.Client("admin:admin");
        var id = await owner.CreateServer("traveller");
        var points = new List<(string Label, JsonNode Owner, JsonNode Admin, DateTimeOffset At, long Version)>();

        async Task Capture(string label)
        {
            // The server is at rest (no task running, nothing pending): what is shown now stays true until the next request.
            var shown = await owner.Server(id);
            var shownToAdmin = await admin.Server(id);
            var at = DateTimeOffset.UtcNow;
            var version = (await owner.Get($"/v2.1/servers/{id}/events")).Body!["events"]!.AsArray().Count;
            points.Add((label, shown, shownToAdmin, at, version));
        }

        await owner.WaitForStatus(id, "ACTIVE");
        await Capture("active");
        Assert.Equal(HttpStatusCode.Accepted, await owner.Act(id, new Dictionary<string, object?> { ["os-stop"] = null }));
        await owner.WaitForStatus(id, "SHUTOFF");
        await Capture("stopped");
        Assert.Equal(HttpStatusCode.Accepted, await owner.Act(id, new Dictionary<string, object?> { ["lock"] = null }));
        Assert.Equal(HttpStatusCode.Accepted, await owner.Act(id, new Dictionary<string, object?> { ["unlock"] = null }));
        Assert.Equal(HttpStatusCode.Accepted, await owner.Act(id, new Dictionary<string, object?> { ["os-start"] = null }));
        await owner.WaitForStatus(id, "ACTIVE");
        await Capture("started again");
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await owner.WaitUntilGone(id);

        // No field is ignored: the replay runs the read model's own fold over the same events.
        foreach (var (label, shown, shownToAdmin, at, version) in points)
        {
            var byTime = await AsOf(owner, id, $"as_of={Uri.EscapeDataString(at.ToString("O"))}");
            Assert.True(JsonNode.DeepEquals(shown, byTime), $"{label} by time:\n{shown.ToJsonString()}\n{byTime.ToJsonString()}");
            var byVersion = await AsOf(owner, id, $"as_of_version={version}");
            Assert.True(JsonNode.DeepEquals(shown, byVersion), $"{label} by version:\n{shown.ToJsonString()}\n{byVersion.ToJsonString()}");
            var adminView = await AsOf(admin, id, $"as_of={Uri.EscapeDataString(at.ToString("O"))}");
            Assert.True(JsonNode.DeepEquals(shownToAdmin, adminView), $"{label} for an admin:\n{shownToAdmin.ToJsonString()}\n{adminView.ToJsonString()}");
        }

        // Now, after the delete: the last state, for its owner and admins only.
        var now = await AsOf(owner, id, $"as_of={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"))}");
        Assert.Equal("DELETED", now["status"]!.GetValue<string>());
        Assert.NotNull(now["OS-SRV-USG:terminated_at"]);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.Client("tom:elsewhere").Get($"/v2.1/servers/{id}?as_of_version=1")).Status);
        // Before it existed there was nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Get($"/v2.1/servers/{id}?as_of=2000-01-01T00:00:00Z")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.Get($"/v2.1/servers/{id}?as_of=soon")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.Get($"/v2.1/servers/{id}?as_of_version=0")).Status);
    }

    private static async Task<JsonNode> AsOf(HttpClient client, string id, string query)
    {
        var (status, body) = await client.Get($"/v2.1/servers/{id}?{query}");
        Assert.True(status == HttpStatusCode.OK, $"{query}: {status} {body?.ToJsonString()}");
        return body!["server"]!;
    }
}
