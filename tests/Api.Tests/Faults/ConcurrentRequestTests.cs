using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Faults;

/// <summary>
/// Requests fired together for real (20 at once): retries of one create (one Idempotency-Key) share its first answer, and names the
/// catalog keeps unique get one winner and Nova's 409 for the others, never a 500 or a duplicate.
/// </summary>
public sealed class ConcurrentRequestTests(ControlPlaneStack stack) : IClassFixture<ControlPlaneStack>
{
    private const int Parallel = 20;

    [Fact]
    public async Task Concurrent_retries_of_a_create_with_one_idempotency_key_all_get_the_same_server_once()
    {
        var client = stack.Client("rita:retries");
        var key = Guid.NewGuid().ToString();
        var answers = await Together(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v2.1/servers")
            {
                Content = Json(new { server = new { name = "retried", flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, networks = "none" } }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }, client);

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Accepted, $"{a.Status} {a.Body}"));
        var ids = answers.Select(a => a.Body!["server"]!["id"]!.GetValue<string>()).Distinct().ToList();
        var id = Assert.Single(ids);
        await client.WaitForStatus(id, "ACTIVE", 60);
        var (_, list) = await client.Get("/v2.1/servers");
        Assert.Equal([id], list!["servers"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        // One server's worth of quota, not twenty.
        var (_, limits) = await client.Get("/v2.1/limits");
        Assert.Equal(1, limits!["limits"]!["absolute"]!["totalInstancesUsed"]!.GetValue<int>());
    }

    [Fact]
    public async Task Concurrent_creates_of_one_flavor_name_have_one_winner_and_409s()
    {
        var admin = stack.Client("admin:admin");
        var name = "racy-" + Guid.NewGuid().ToString("N")[..8];
        var answers = await Together(_ => new HttpRequestMessage(HttpMethod.Post, "/v2.1/flavors")
        {
            Content = Json(new { flavor = new { name, ram = 512, vcpus = 1, disk = 1 } }),
        }, admin);

        AssertOneWinner(answers, HttpStatusCode.OK, $"Flavor with name {name} already exists.");
        var (_, flavors) = await admin.Get("/v2.1/flavors");
        Assert.Single(flavors!["flavors"]!.AsArray(), f => f!["name"]!.GetValue<string>() == name);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_flavor_id_have_one_winner_and_409s()
    {
        var admin = stack.Client("admin:admin");
        var id = "racy-id-" + Guid.NewGuid().ToString("N")[..8];
        var answers = await Together(i => new HttpRequestMessage(HttpMethod.Post, "/v2.1/flavors")
        {
            Content = Json(new { flavor = new { id, name = $"{id}-{i}", ram = 512, vcpus = 1, disk = 1 } }),
        }, admin);

        AssertOneWinner(answers, HttpStatusCode.OK, $"Flavor with ID {id} already exists.");
    }

    [Fact]
    public async Task Concurrent_creates_and_renames_to_one_aggregate_name_have_one_winner_and_409s()
    {
        var admin = stack.Client("admin:admin", "2.41");
        var name = "racy-" + Guid.NewGuid().ToString("N")[..8];
        var created = await Together(_ => new HttpRequestMessage(HttpMethod.Post, "/v2.1/os-aggregates")
        {
            Content = Json(new { aggregate = new { name } }),
        }, admin);
        AssertOneWinner(created, HttpStatusCode.OK, $"Aggregate {name} already exists.");

        var others = new List<int>();
        for (var i = 0; i < Parallel; i++)
        {
            var (status, body) = await admin.Send(HttpMethod.Post, "/v2.1/os-aggregates", new { aggregate = new { name = $"{name}-{i}" } });
            Assert.Equal(HttpStatusCode.OK, status);
            others.Add(body!["aggregate"]!["id"]!.GetValue<int>());
        }
        var renamed = await Together(i => new HttpRequestMessage(HttpMethod.Put, $"/v2.1/os-aggregates/{others[i]}")
        {
            Content = Json(new { aggregate = new { name = name + "-renamed" } }),
        }, admin);
        AssertOneWinner(renamed, HttpStatusCode.OK, $"Aggregate {name}-renamed already exists.");

        var (_, list) = await admin.Get("/v2.1/os-aggregates");
        var names = list!["aggregates"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToList();
        Assert.Single(names, n => n == name);
        Assert.Single(names, n => n == name + "-renamed");
    }

    private static void AssertOneWinner(IReadOnlyList<(HttpStatusCode Status, JsonNode? Body)> answers, HttpStatusCode won, string conflict)
    {
        Assert.Single(answers, a => a.Status == won);
        foreach (var (status, body) in answers.Where(a => a.Status != won))
        {
            Assert.True(status == HttpStatusCode.Conflict, $"{status} {body?.ToJsonString()}");
            Assert.Equal(409, body!["conflictingRequest"]!["code"]!.GetValue<int>());
            Assert.Equal(conflict, body["conflictingRequest"]!["message"]!.GetValue<string>());
        }
    }

    /// <summary>Sends <see cref="Parallel"/> requests released at the same moment.</summary>
    private static async Task<IReadOnlyList<(HttpStatusCode Status, JsonNode? Body)>> Together(Func<int, HttpRequestMessage> request, HttpClient client)
    {
        var start = new TaskCompletionSource();
        var sends = Enumerable.Range(0, Parallel).Select(async i =>
        {
            using var message = request(i);
            await start.Task;
            using var response = await client.SendAsync(message);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
        }).ToList();
        start.SetResult();
        return await Task.WhenAll(sends);
    }

    private static StringContent Json(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
