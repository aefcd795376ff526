using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nova.Commands.Hosts;
using Nova.Commands.Requests;
using Nova.Commands.Servers.Reporting;
using Nova.Commands.Servers.Scheduling;
using Nova.Domain.Compute;
using Nova.Domain.Scheduling;
using IMediator = Mediator.IMediator;

namespace Nova.Commands.Bus;

/// <summary>The control plane's side of RabbitMQ: the scheduler and conductor queues.</summary>
public static class ControlPlaneBus
{
    /// <summary>
    /// Binds <c>Nova:RabbitMq</c> (Host, Port, VHost, User, Pass) and <c>Nova:Bus:QueuePrefix</c>.
    /// Endpoints receive only what is sent to their queue (no type-based publish topology), so
    /// several control planes can share one broker under different prefixes.
    /// </summary>
    public static IServiceCollection AddControlPlaneBus(this IServiceCollection services, IConfiguration config)
    {
        var queues = new ComputeQueues(config["Nova:Bus:QueuePrefix"] ?? "");
        services.AddSingleton(queues);
        services.AddSingleton(config.GetSection("Nova:Scheduler").Get<SchedulerOptions>() ?? new SchedulerOptions());
        services.AddOptions<RabbitMqTransportOptions>().Bind(config.GetSection("Nova:RabbitMq"));
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StopTimeout = TimeSpan.FromSeconds(10);
        });
        services.AddMassTransit(x =>
        {
            // No phoning home: a control plane runs on closed networks.
            x.DisableUsageTelemetry();
            x.AddConsumer<SchedulerConsumer>();
            x.AddConsumer<ConductorConsumer>();
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
                    e.UseMessageRetry(Retry);
                    e.ConfigureConsumer<SchedulerConsumer>(context);
                });
                cfg.ReceiveEndpoint(queues.Conductor, e =>
                {
                    e.ConfigureConsumeTopology = false;
                    e.PrefetchCount = 64;
                    e.ConcurrentMessageLimit = 16;
                    e.UseMessageRetry(Retry);
                    // Reports about one server are applied in order, one at a time; different servers in parallel.
                    var partition = e.CreatePartitioner(16);
                    e.ConfigureConsumer<ConductorConsumer>(context, c =>
                    {
                        c.Message<InstanceBuildStepStarted>(m => m.UsePartitioner(partition, x => x.Message.ServerId));
                        c.Message<InstanceBuilt>(m => m.UsePartitioner(partition, x => x.Message.ServerId));
                        c.Message<InstanceBuildFailed>(m => m.UsePartitioner(partition, x => x.Message.ServerId));
                        c.Message<InstanceStopped>(m => m.UsePartitioner(partition, x => x.Message.ServerId));
                        c.Message<InstanceStarted>(m => m.UsePartitioner(partition, x => x.Message.ServerId));
                        c.Message<InstanceRebooted>(m => m.UsePartitioner(partition, x => x.Message.ServerId));
                        c.Message<InstanceActionFailed>(m => m.UsePartitioner(partition, x => x.Message.ServerId));
                        c.Message<InstanceTerminated>(m => m.UsePartitioner(partition, x => x.Message.ServerId));
                        c.Message<InstancePowerStateObserved>(m => m.UsePartitioner(partition, x => x.Message.ServerId));
                    });
                });
            });
        });
        return services;
    }

    /// <summary>
    /// A report that cannot be recorded (database briefly away) is retried in process rather than
    /// dropped to an error queue, where its server would wait forever. The broker has no delayed
    /// redelivery plugin here, so the retries stay in memory, spread over about two minutes.
    /// </summary>
    private static void Retry(IRetryConfigurator r) =>
        r.Exponential(12, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
}

/// <summary>Nova's scheduler: one server at a time from the scheduler queue.</summary>
public sealed class SchedulerConsumer(IMediator mediator, Caller caller) : IConsumer<ScheduleInstance>
{
    public async Task Consume(ConsumeContext<ScheduleInstance> context)
    {
        caller.Become(context.Message.Request);
        await mediator.Send(new ScheduleServer(context.Message.ServerId), context.CancellationToken);
    }
}

/// <summary>Nova's conductor: turns host reports into commands on the event store.</summary>
public sealed class ConductorConsumer(IMediator mediator, Caller caller) :
    IConsumer<InstanceBuildStepStarted>, IConsumer<InstanceBuilt>, IConsumer<InstanceBuildFailed>,
    IConsumer<InstanceStopped>, IConsumer<InstanceStarted>, IConsumer<InstanceRebooted>,
    IConsumer<InstanceActionFailed>, IConsumer<InstanceTerminated>, IConsumer<InstancePowerStateObserved>,
    IConsumer<ComputeHostReport>
{
    public Task Consume(ConsumeContext<InstanceBuildStepStarted> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<InstanceBuilt> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<InstanceBuildFailed> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<InstanceStopped> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<InstanceStarted> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<InstanceRebooted> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<InstanceActionFailed> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<InstanceTerminated> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<InstancePowerStateObserved> context) => Record(context.Message, context.CancellationToken);

    public async Task Consume(ConsumeContext<ComputeHostReport> context)
    {
        caller.Become(new RequestContext(Caller.NewRequestId(), "nova-compute", "service"));
        await mediator.Send(new RecordHostReport(context.Message), context.CancellationToken);
    }

    private async Task Record(IInstanceMessage report, CancellationToken ct)
    {
        caller.Become(report.Request);
        await mediator.Send(new RecordInstanceReport(report), ct);
    }
}
