using JasperFx.Events.Daemon;
using Marten;
using Mediator;
using Microsoft.AspNetCore.WebUtilities;
using Nova.Api.Audit;
using Nova.Api.Extensions;
using Nova.Api.Flavors;
using Nova.Api.Grpc;
using Nova.Api.Health;
using Nova.Api.Hosts;
using Nova.Api.Http;
using Nova.Api.Identity;
using Nova.Api.Images;
using Nova.Api.InstanceActions;
using Nova.Api.Migrations;
using Nova.Api.Quotas;
using Nova.Api.Usage;
using Nova.Api.KeyPairs;
using Nova.Api.ServerGroups;
using Nova.Api.Servers;
using Nova.Api.Versions;
using Nova.Commands.Behaviors;
using Nova.Commands.Bus;
using Nova.Commands.Policy;
using Nova.Commands.Quotas;
using Nova.Commands.Relay;
using Nova.Commands.Requests;
using Nova.Projections;

namespace Nova.Api;

/// <summary>
/// The control plane process: REST API, command handlers, the projection daemon, the event
/// relay, the scheduler and the conductor. Compute hosts run in their own processes.
/// </summary>
public static class ControlPlane
{
    public const string DefaultUrl = "http://127.0.0.1:8774";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var config = builder.Configuration;
        builder.WebHost.ListenForRestAndGrpc(config, DefaultUrl);

        var connection = config.GetConnectionString("Nova")
                         ?? throw new InvalidOperationException("ConnectionStrings:Nova is not configured");
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => PolicyFile.From(config, sp.GetRequiredService<ILogger<PolicyFile>>()));
        services.AddScoped<Caller>();
        services.AddScoped<EventSessions>();
        services.AddSingleton<ReadYourWrites>();
        services.AddMarten(opts => NovaStore.Configure(opts, connection))
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            // Several API processes may share the database: one at a time runs the projections and the relay (an
            // advisory lock), another takes over when it stops, so no event is relayed twice by design.
            .AddAsyncDaemon(DaemonMode.HotCold)
            .AddSubscriptionWithServices<EventRelay>(ServiceLifetime.Singleton);
        services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors = [typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>)];
        });
        services.AddControlPlaneBus(config);
        services.AddSingleton(QuotaDefaults.From(config));
        services.AddHostedService<CatalogSeed>();
        services.AddGrpcApi(config);
        services.AddCallerAuthentication(config);
        services.AddSingleton<DaemonActivity>().AddHostedService(sp => sp.GetRequiredService<DaemonActivity>());
        services.AddSingleton<HttpRequestCounts>();
        services.AddControlPlaneHealth(config, connection);

        var app = builder.Build();
        // A policy file that does not parse stops the start-up here, not at the first request.
        app.Services.GetRequiredService<PolicyFile>();
        // Statuses the framework answers itself (405 for a wrong method, …) get Nova's body too.
        app.UseStatusCodePages(context => NovaError.Write(context.HttpContext, context.HttpContext.Response.StatusCode,
            ReasonPhrases.GetReasonPhrase(context.HttpContext.Response.StatusCode)));
        app.UseMiddleware<HttpRequestCountsMiddleware>();
        app.UseMiddleware<NovaErrorMiddleware>();
        app.UseMiddleware<GrpcPortSeparation>();
        app.UseMiddleware<RequestIdentityMiddleware>();
        app.UseMiddleware<ProjectInPathMiddleware>();
        app.UseMiddleware<MicroversionMiddleware>();
        app.UseRouting();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseMiddleware<RequestTextMiddleware>();
        app.UseMiddleware<RoutePolicyMiddleware>();
        app.MapVersions();
        app.MapHealth();
        app.MapImageRegistry();
        app.MapGrpcApi();
        var api = app.MapGroup("/v2.1");
        api.MapVersionDocuments();
        api.MapExtensions();
        api.MapServers();
        api.MapInstanceActions();
        api.MapMigrations();
        api.MapServerHistory();
        api.MapEventFeed();
        api.MapFlavors();
        api.MapImages();
        api.MapQuotas();
        api.MapTenantUsage();
        api.MapInstanceUsageAuditLog();
        api.MapServerGroups();
        api.MapKeyPairs();
        api.MapComputeServices();
        api.MapHypervisors();
        api.MapAvailabilityZones();
        api.MapHostAggregates();
        // Anything else under /v2.1 is Nova's 404 shape, not an empty body.
        api.MapFallback((HttpContext http) => throw NovaError.NotFound($"The resource could not be found: {http.Request.Path}"));
        return app;
    }
}
