using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nova.ComputeWorker.Drivers.Fake;
using Nova.ComputeWorker.Drivers.Libvirt;
using Nova.ComputeWorker.Drivers;
using Nova.ComputeWorker.Images;
using Nova.ComputeWorker.Instances;
using Nova.ComputeWorker.Reporting;
using Nova.DiskImages;
using Nova.Domain.Compute;

namespace Nova.ComputeWorker;

public static class ComputeWorkerSetup
{
    /// <summary>
    /// Wires the compute hosts of this process: one driver and one durable queue
    /// (<c>compute.HOST</c>) per host, and the periodic host report.
    /// </summary>
    public static IServiceCollection AddComputeWorker(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection("Nova:Compute").Get<ComputeWorkerOptions>() ?? new ComputeWorkerOptions();
        var queues = new ComputeQueues(config["Nova:Bus:QueuePrefix"] ?? "");
        var nodes = options.HostNames().Select(name => new ComputeNode(name, CreateDriver(options))).ToList();

        services.AddSingleton(options);
        services.AddSingleton(queues);
        foreach (var node in nodes) services.AddSingleton(node);
        services.AddHostedService<HostReporter>();
        services.AddHostedService<PowerStateSync>();
        if (options.Driver == "libvirt") services.AddHostedService<ImageCachePruning>();
        services.AddOptions<RabbitMqTransportOptions>().Bind(config.GetSection("Nova:RabbitMq"));
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StopTimeout = TimeSpan.FromSeconds(10);
        });
        services.AddMassTransit(x =>
        {
            // No phoning home: compute hosts run on closed networks.
            x.DisableUsageTelemetry();
            x.UsingRabbitMq((context, cfg) =>
            {
                var logs = context.GetRequiredService<ILoggerFactory>();
                foreach (var node in nodes)
                {
                    cfg.ReceiveEndpoint(queues.Host(node.Name), e =>
                    {
                        e.ConfigureConsumeTopology = false;
                        e.PrefetchCount = options.ConcurrentOperations;
                        e.ConcurrentMessageLimit = options.ConcurrentOperations;
                        e.Consumer(() => new ComputeNodeConsumer(node, queues, logs.CreateLogger("Nova.Compute." + node.Name)));
                    });
                }
            });
        });
        return services;
    }

    private static IComputeDriver CreateDriver(ComputeWorkerOptions options) => options.Driver switch
    {
        "fake" => new FakeDriver(options.Fake),
        "libvirt" => CreateLibvirtDriver(options.Libvirt),
        _ => throw new InvalidOperationException($"Unknown compute driver '{options.Driver}' (supported: fake, libvirt)"),
    };

    private static LibvirtDriver CreateLibvirtDriver(LibvirtDriverOptions options)
    {
        // No overall timeout: an image download may take long; ImageService cuts a stalled one and resumes it.
        var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        return new LibvirtDriver(options, new ImageCache(options.InstancesPath, new QemuImg()),
            new ImageService(http, options.ImageServiceUrl, options.ApiToken));
    }
}
