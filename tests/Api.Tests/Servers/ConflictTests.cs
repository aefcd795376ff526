using System.Net;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Servers;

[Collection(StackCollection.Name)]
public sealed class ConflictTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task Concurrent_actions_on_one_server_let_exactly_one_win_and_the_rest_get_409()
    {
        var client = stack.Client("carol:race");
        var id = await client.CreateServer("race");
        await client.WaitForStatus(id, "ACTIVE");
        var before = await stack.EventCount();

        // Same moment, same server: eight stops race for the task_state. (Mixing in actions that are
        // allowed from SHUTOFF would let a loser legitimately win once the fast fake host has stopped it.)
        var attempts = Enumerable.Range(0, 8).Select(_ =>
            client.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action", new Dictionary<string, object?> { ["os-stop"] = null }));
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r.Status == HttpStatusCode.Accepted);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.Accepted), r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.Status);
            Assert.NotNull(r.Body!["conflictingRequest"]!["message"]);
        });
        // Exactly one request's event was appended (before the host's report arrives, at most one more).
        var appended = await stack.EventCount() - before;
        Assert.InRange(appended, 1, 2);
    }

    [Fact]
    public async Task Starting_an_active_server_is_409_in_Novas_words_and_appends_nothing()
    {
        var client = stack.Client("carol:race");
        var id = await client.CreateServer("already-on");
        await client.WaitForStatus(id, "ACTIVE");
        var before = await stack.EventCount();

        var (status, body) = await client.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action", new Dictionary<string, object?> { ["os-start"] = null });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal($"Cannot 'start' instance {id} while it is in vm_state active", body!["conflictingRequest"]!["message"]!.GetValue<string>());
        Assert.Equal(before, await stack.EventCount());
    }
}
