using System.Net;
using System.Text.Json.Nodes;
using Grpc.Health.V1;
using HealthClient = Grpc.Health.V1.Health.HealthClient;
using Grpc.Net.Client;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Faults;

/// <summary>
/// The health endpoints as a load balancer and an orchestrator read them, around a PostgreSQL outage: ready (and
/// the old /healthz) turn 503 naming the failing check and come back to 200, live stays 200 throughout, and the
/// gRPC health service says the same.
/// </summary>
public sealed class ReadinessTests : IAsyncLifetime
{
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
    public async Task Ready_is_503_while_postgresql_is_away_and_200_once_it_is_back_while_live_stays_200()
    {
        using var anonymous = new HttpClient { BaseAddress = stack.BaseAddress };
        using var channel = GrpcChannel.ForAddress(stack.GrpcAddress);
        var grpcHealth = new HealthClient(channel);

        var ready = await Eventually.Value(() => anonymous.Get("/healthz/ready"), r => r.Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "ready once the daemon runs");
        Assert.Equal("ok", ready.Body!["status"]!.GetValue<string>());
        var names = Checks(ready.Body).Select(c => c.Name).ToList();
        Assert.Contains("postgresql", names);
        Assert.Contains("projections", names);
        Assert.Contains(names, n => n.StartsWith("masstransit", StringComparison.Ordinal));
        Assert.All(Checks(ready.Body), c => Assert.Equal("healthy", c.Status));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Get("/healthz/live")).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await grpcHealth.CheckAsync(new HealthCheckRequest())).Status);

        await postgres.Stop();

        var (status, body) = await anonymous.Get("/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("failing", body!["status"]!.GetValue<string>());
        Assert.Equal("unhealthy", Checks(body).Single(c => c.Name == "postgresql").Status);
        Assert.Contains(body["problems"]!.AsArray(), p => p!.GetValue<string>().StartsWith("PostgreSQL does not answer", StringComparison.Ordinal));
        (status, _) = await anonymous.Get("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        (status, body) = await anonymous.Get("/healthz/live");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body!["checks"]!.AsArray());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await grpcHealth.CheckAsync(new HealthCheckRequest())).Status);

        await postgres.StartAgain();

        await Eventually.True(async () => (await anonymous.Get("/healthz/ready")).Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "/healthz/ready answers 200 again");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Get("/healthz")).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await grpcHealth.CheckAsync(new HealthCheckRequest())).Status);
    }

    private static IEnumerable<(string Name, string Status)> Checks(JsonNode body) =>
        body["checks"]!.AsArray().Select(c => (c!["name"]!.GetValue<string>(), c["status"]!.GetValue<string>()));
}
