using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Nova.Api.Identity;
using Nova.Keystone;

namespace Nova.Api.Health;

/// <summary>
/// ASP.NET Core health checks: PostgreSQL, RabbitMQ (MassTransit registers its bus check itself), Keystone with the
/// keystone strategy, and the projection daemon with its lag. <c>/healthz/live</c> runs none of them (the process
/// answers); <c>/healthz/ready</c> and <c>/healthz</c> run all and answer 503 when one fails. The gRPC health
/// service (<c>grpc.health.v1.Health</c>, on the gRPC port) reports the same checks.
/// </summary>
public static class HealthSetup
{
    public const string Live = "/healthz/live", Ready = "/healthz/ready", Legacy = "/healthz";
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddControlPlaneHealth(this IServiceCollection services, IConfiguration config, string connection)
    {
        var checks = services.AddHealthChecks()
            .AddCheck("postgresql", new DatabaseHealthCheck(connection), timeout: CheckTimeout)
            .AddCheck<ProjectionHealthCheck>("projections", timeout: CheckTimeout);
        if (config["Nova:Auth:Strategy"] == IdentitySetup.Keystone)
            checks.Add(new HealthCheckRegistration("keystone",
                sp => new KeystoneHealthCheck(sp.GetRequiredService<KeystoneSettings>()), failureStatus: null, tags: null, timeout: CheckTimeout));
        services.AddGrpcHealthChecks();
        return services;
    }

    public static void MapHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks(Live, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthReportJson.Write });
        app.MapHealthChecks(Ready, new HealthCheckOptions { ResponseWriter = HealthReportJson.Write });
        app.MapHealthChecks(Legacy, new HealthCheckOptions { ResponseWriter = HealthReportJson.Write });
        app.MapGrpcHealthChecksService();
    }

    /// <summary>Paths answered without a token, like Nova's /healthcheck.</summary>
    public static bool IsHealthPath(PathString path) =>
        path == Live || path == Ready || path == Legacy || path.StartsWithSegments("/grpc.health.v1.Health");
}
