using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Faults;

/// <summary>
/// PostgreSQL goes away under a running control plane: reads and writes answer 503 in Nova's error shape (not 500),
/// /healthz fails with 503, and once PostgreSQL is back the API serves again and boots reach ACTIVE.
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private const string Token = "dora:outage";
    private DedicatedPostgres postgres = null!;
    private ControlPlaneStack stack = null!;

    public async Task InitializeAsync()
    {
        postgres = await DedicatedPostgres.Start();
        stack = ControlPlaneStack.With(new StackOptions(Postgres: postgres.ConnectionString));
        await stack.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await stack.DisposeAsync();
        await postgres.DisposeAsync();
    }

    [Fact]
    public async Task Requests_answer_503_while_the_database_is_away_and_200_once_it_is_back()
    {
        var client = stack.Client(Token);
        using var anonymous = new HttpClient { BaseAddress = stack.BaseAddress };
        var before = await client.CreateServer("before-outage");
        await client.WaitForStatus(before, "ACTIVE", 60);

        await postgres.Stop();

        var (status, body) = await client.Get("/v2.1/servers");
        AssertServiceUnavailable(status, body);
        (status, body) = await client.Get($"/v2.1/servers/{before}");
        AssertServiceUnavailable(status, body);
        (status, body) = await client.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name = "during-outage", flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, networks = "none" },
        });
        AssertServiceUnavailable(status, body);
        (status, _) = await anonymous.Get("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);

        await postgres.StartAgain();

        await Eventually.True(async () => (await client.Get("/v2.1/servers")).Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "GET /servers answers 200 again");
        var listed = (await client.Get("/v2.1/servers")).Body!["servers"]!.AsArray().Select(s => s!["id"]!.GetValue<string>());
        Assert.Contains(before, listed);
        // The whole pipeline (relay, scheduler, conductor, projections) works again, not just the query path.
        var after = await client.CreateServer("after-outage");
        await client.WaitForStatus(after, "ACTIVE", 60);
        await Eventually.True(async () => (await anonymous.Get("/healthz")).Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "/healthz answers 200 again");
    }

    private static void AssertServiceUnavailable(HttpStatusCode status, JsonNode? body)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var fault = body!["serviceUnavailable"]!;
        Assert.Equal(503, fault["code"]!.GetValue<int>());
        Assert.Contains("database is unavailable", fault["message"]!.GetValue<string>());
    }
}
