using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nova.Commands.Hosts;
using Nova.Commands.Servers;
using Nova.Commands.Servers.Reconciling;
using Nova.Commands.Servers.Reporting;
using Nova.Commands.Servers.Scheduling;
using Nova.ComputeRpc;
using Nova.Domain.Scheduling;

namespace Nova.Commands.Bus;

/// <summary>The control plane's side of RabbitMQ: the scheduler and conductor queues.</summary>
public static class ControlPlaneBus
{
    /// <summary>
    /// Binds <c>Nova:RabbitMq</c> (Host, Port, VHost, User, Pass) and <c>Nova:Bus:QueuePrefix</c>.
    /// Endpoints receive only what is sent to their queue (no type-based publish topology), so
    /// several control planes can share one broker under different prefixes. The conductor consumes
    /// every host report some slice declares a rule for (<see cref="HostReportRules"/>).
    /// </summary>
    public static IServiceCollection AddControlPlaneBus(this IServiceCollection services, IConfiguration config)
    {
        var queues = new ComputeQueues(config["Nova:Bus:QueuePrefix"] ?? "");
        services.AddSingleton(queues);
        services.AddSingleton(config.GetSection("Nova:Scheduler").Get<SchedulerOptions>() ?? new SchedulerOptions());
        services.AddServerActionSlices();
        services.AddOptions<RabbitMqTransportOptions>().Bind(config.GetSection("Nova:RabbitMq"));
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StopTimeout = TimeSpan.FromSeconds(10);
        });
        var reports = HostReportRules.ReportTypes;
        services.AddMassTransit(x =>
        {
            // No phoning home: a control plane runs on closed networks.
            x.DisableUsageTelemetry();
            x.AddConsumer<SchedulerConsumer>();
            x.AddConsumer<ComputeHostReportConsumer>();
            x.AddConsumer<HostInventoryConsumer>();
            foreach (var report in reports) x.AddConsumer(typeof(InstanceReportConsumer<>).MakeGenericType(report));
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.ReceiveEndpoint(queues.Scheduler, e =>
                {
                    e.ConfigureConsumeTopology = false;
                    // One choice at a time per scheduler process: concurrent choices would only
                    // collide on the same best host. Several schedulers stay correct through the
                    // optimistic concurrency of host claims.
                    e.PrefetchCount = 32;
                    e.ConcurrentMessageLimit = 1;
                    // Briefly only: a message that keeps failing (a poisoned request) must not hold up every other
                    // boot. It is parked in the error queue with its reason (`nova-manage parked`), and the server's
                    // deadline sends it again later or ends its task.
                    e.UseMessageRetry(r => r.Intervals(100, 500, 2000));
                    e.ConfigureConsumer<SchedulerConsumer>(context);
                });
                cfg.ReceiveEndpoint(queues.Conductor, e =>
                {
                    e.ConfigureConsumeTopology = false;
                    e.PrefetchCount = 64;
                    e.ConcurrentMessageLimit = 16;
                    e.UseMessageRetry(Retry);
                    e.ConfigureConsumer<ComputeHostReportConsumer>(context);
                    e.ConfigureConsumer<HostInventoryConsumer>(context);
                    // Reports about one server are applied in order, one at a time; different servers in parallel.
                    var partition = e.CreatePartitioner(16);
                    var configure = ServerActionSlices.Generic(typeof(ControlPlaneBus), nameof(ConfigureReport));
                    foreach (var report in reports) configure.MakeGenericMethod(report).Invoke(null, [e, context, partition]);
                });
            });
        });
        return services;
    }

    private static void ConfigureReport<TReport>(IReceiveEndpointConfigurator endpoint, IRegistrationContext context, IPartitioner partition)
        where TReport : class, IHostReport =>
        endpoint.ConfigureConsumer<InstanceReportConsumer<TReport>>(context,
            c => c.Message<TReport>(m => m.UsePartitioner(partition, x => x.Message.ServerId)));

    /// <summary>
    /// A report that cannot be recorded (database briefly away) is retried in process rather than
    /// dropped to an error queue, where its server would wait forever. The broker has no delayed
    /// redelivery plugin here, so the retries stay in memory, spread over about two minutes.
    /// </summary>
    private static void Retry(IRetryConfigurator r) =>
        r.Exponential(12, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
}
