using System.Net;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Quotas;

[Collection(StackCollection.Name)]
public sealed class QuotaTests(ControlPlaneStack stack)
{
    private async Task SetQuota(string project, int instances, int cores = -1, int ram = -1)
    {
        var (status, body) = await stack.Client("admin:admin").Send(HttpMethod.Put, $"/v2.1/os-quota-sets/{project}",
            new { quota_set = new { instances, cores, ram } });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(instances, body!["quota_set"]!["instances"]!.GetValue<int>());
    }

    private static Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)> Boot(HttpClient client, string name, int min = 1, int max = 1) =>
        client.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name, flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, min_count = min, max_count = max },
        });

    [Fact]
    public async Task The_instance_quota_refuses_the_next_server_with_403_and_frees_up_after_a_delete()
    {
        await SetQuota("quota-a", instances: 2);
        var client = stack.Client("u:quota-a");
        var first = await client.CreateServer("q1");
        var second = await client.CreateServer("q2");
        await client.WaitForStatus(first, "ACTIVE");
        await client.WaitForStatus(second, "ACTIVE");

        var before = await stack.EventCount();
        var (status, body) = await Boot(client, "q3");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Quota exceeded for instances: Requested 1, but already used 2 of 2 instances",
            body!["forbidden"]!["message"]!.GetValue<string>());
        Assert.Equal(before, await stack.EventCount());

        var (_, limits) = await client.Get("/v2.1/limits");
        Assert.Equal(2, limits!["limits"]!["absolute"]!["maxTotalInstances"]!.GetValue<int>());
        Assert.Equal(2, limits["limits"]!["absolute"]!["totalInstancesUsed"]!.GetValue<int>());
        Assert.Equal(1024, limits["limits"]!["absolute"]!["totalRAMUsed"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"/v2.1/servers/{first}")).Status);
        await client.WaitUntilGone(first);
        await Eventually.True(async () => (await Boot(client, "q3-again")).Status == HttpStatusCode.Accepted,
            TimeSpan.FromSeconds(10), "room again after the delete");
    }

    [Fact]
    public async Task Concurrent_creates_cannot_exceed_the_quota_together()
    {
        await SetQuota("quota-b", instances: 5);
        var client = stack.Client("u:quota-b");
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Boot(client, $"race-{i}")));
        Assert.Equal(5, results.Count(r => r.Status == HttpStatusCode.Accepted));
        Assert.Equal(15, results.Count(r => r.Status == HttpStatusCode.Forbidden));
        var (_, list) = await client.Get("/v2.1/servers");
        Assert.Equal(5, list!["servers"]!.AsArray().Count);
    }

    [Fact]
    public async Task Multi_create_makes_as_many_as_the_quota_allows_between_min_and_max_and_nothing_below_min()
    {
        await SetQuota("quota-c", instances: 3);
        var client = stack.Client("u:quota-c");
        var (refused, _) = await Boot(client, "too-many", min: 4, max: 6);
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Empty((await client.Get("/v2.1/servers")).Body!["servers"]!.AsArray());

        var (accepted, _) = await Boot(client, "some", min: 2, max: 6);
        Assert.Equal(HttpStatusCode.Accepted, accepted);
        var (_, list) = await client.Get("/v2.1/servers");
        Assert.Equal(["some-1", "some-2", "some-3"], list!["servers"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).Order().ToArray());
    }

    [Fact]
    public async Task Quotas_are_read_by_their_project_or_an_admin_and_changed_only_by_an_admin()
    {
        var user = stack.Client("u:quota-d");
        Assert.Equal(HttpStatusCode.OK, (await user.Get("/v2.1/os-quota-sets/quota-d")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Get("/v2.1/os-quota-sets/quota-a")).Status);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await user.Send(HttpMethod.Put, "/v2.1/os-quota-sets/quota-d", new { quota_set = new { instances = 100 } })).Status);
        var (_, detail) = await stack.Client("admin:admin").Get("/v2.1/os-quota-sets/quota-d/detail");
        Assert.Equal(0, detail!["quota_set"]!["instances"]!["in_use"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest,
            (await stack.Client("admin:admin").Send(HttpMethod.Put, "/v2.1/os-quota-sets/quota-d", new { quota_set = new { instances = -5 } })).Status);
    }
}
