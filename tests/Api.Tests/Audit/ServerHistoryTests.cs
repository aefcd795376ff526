using System.Net;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Audit;

/// <summary>GET /servers/{id}/events: a server's whole history, in order, with who and which request.</summary>
[Collection(StackCollection.Name)]
public sealed class ServerHistoryTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task The_history_is_complete_ordered_attributed_paged_and_private_to_the_owner()
    {
        var client = stack.Client("sam:audit");
        var id = await client.CreateServer("audited");
        await client.WaitForStatus(id, "ACTIVE");
        Assert.Equal(HttpStatusCode.Accepted, await client.Act(id, new Dictionary<string, object?> { ["os-stop"] = null }));
        await client.WaitForStatus(id, "SHUTOFF");

        var (status, body) = await client.Get($"/v2.1/servers/{id}/events");
        Assert.Equal(HttpStatusCode.OK, status);
        var events = body!["events"]!.AsArray();
        Assert.Equal("server_create_requested", events[0]!["type"]!.GetValue<string>());
        Assert.Equal("server_stopped", events[^1]!["type"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(1, events.Count).Select(v => (long)v), events.Select(e => e!["version"]!.GetValue<long>()));
        var sequences = events.Select(e => e!["sequence"]!.GetValue<long>()).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal("sam", events[0]!["user_id"]!.GetValue<string>());
        Assert.Equal("audit", events[0]!["project_id"]!.GetValue<string>());
        Assert.Equal("audited", events[0]!["data"]!["Name"]!.GetValue<string>());

        // The request ids are the ones os-instance-actions shows for the same actions.
        var (_, actions) = await client.Get($"/v2.1/servers/{id}/os-instance-actions");
        var stopRequest = actions!["instanceActions"]!.AsArray().Single(a => a!["action"]!.GetValue<string>() == "stop")!["request_id"]!.GetValue<string>();
        Assert.Contains(events, e => e!["type"]!.GetValue<string>() == "server_stop_requested" && e["request_id"]!.GetValue<string>() == stopRequest);

        var (_, page) = await client.Get($"/v2.1/servers/{id}/events?after=2&limit=2");
        Assert.Equal([3L, 4L], page!["events"]!.AsArray().Select(e => e!["version"]!.GetValue<long>()));
        Assert.NotNull(page["events_links"]);

        Assert.Equal(HttpStatusCode.NotFound, (await stack.Client("tom:elsewhere").Get($"/v2.1/servers/{id}/events")).Status);
        Assert.Equal(HttpStatusCode.OK, (await stack.Client("admin:admin").Get($"/v2.1/servers/{id}/events")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Get($"/v2.1/servers/{id}/events?after=-3")).Status);
    }
}
