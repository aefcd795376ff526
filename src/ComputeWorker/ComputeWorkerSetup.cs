using System.Reflection;
using MassTransit;
using Nova.ComputeWorker.Drivers.Fake;
using Nova.ComputeWorker.Drivers.Libvirt;
using Nova.ComputeWorker.Drivers;
using Nova.ComputeWorker.Images;
using Nova.ComputeWorker.Instances;
using Nova.ComputeWorker.Reporting;
using Nova.DiskImages;
using Nova.ComputeRpc;
using Nova.Keystone;

namespace Nova.ComputeWorker;

public static class ComputeWorkerSetup
{
    /// <summary>
    /// Wires the compute hosts of this process: one driver and one durable queue
    /// (<c>compute.HOST</c>) per host, consuming every message some <see cref="IInstanceOperation{TMessage}"/>
    /// handles, and the periodic host report.
    /// </summary>
    public static IServiceCollection AddComputeWorker(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection("Nova:Compute").Get<ComputeWorkerOptions>() ?? new ComputeWorkerOptions();
        var queues = new ComputeQueues(config["Nova:Bus:QueuePrefix"] ?? "");
        var imageToken = ImageServiceToken(config, options);
        var nodes = options.HostNames()
            .Select(name => new ComputeNode(name, CreateDriver(options, name, imageToken), new OperationJournal(options.StatePath, name))).ToList();

        services.AddSingleton(options);
        services.AddSingleton(queues);
        foreach (var node in nodes) services.AddSingleton(node);
        services.AddHostedService<HostReporter>();
        services.AddHostedService<PowerStateSync>();
        services.AddHostedService<HostReconciliation>();
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
                        // An operation that throws (a bug, a driver error outside the action's catch) is tried a few
                        // times, then parked in compute.HOST_error with its reason; the control plane's deadline
                        // ends its task, and `nova-manage parked` shows and replays it.
                        e.UseMessageRetry(r => r.Intervals(200, 1000, 5000));
                        var log = logs.CreateLogger("Nova.Compute." + node.Name);
                        foreach (var (message, operation) in InstanceOperations.Find(context))
                            Bind.MakeGenericMethod(message).Invoke(null, [e, node, operation, queues, log]);
                    });
                }
            });
        });
        return services;
    }

    private static readonly MethodInfo Bind = typeof(ComputeWorkerSetup).GetMethod(nameof(Consume), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static void Consume<TMessage>(IReceiveEndpointConfigurator endpoint, ComputeNode node, object operation, ComputeQueues queues, ILogger log)
        where TMessage : class, IInstanceMessage =>
        endpoint.Consumer(() => new InstanceOperationConsumer<TMessage>(node, (IInstanceOperation<TMessage>)operation, queues, log));

    /// <summary>
    /// What the image downloads authenticate with: with <c>Nova:Auth:Strategy=keystone</c> the service user's
    /// Keystone token (<c>Nova:Auth:Keystone:*</c>, the same settings as the API's), else the fixed <c>ApiToken</c>.
    /// </summary>
    private static Func<CancellationToken, Task<string>> ImageServiceToken(IConfiguration config, ComputeWorkerOptions options)
    {
        if (config["Nova:Auth:Strategy"] != "keystone")
        {
            var fixedToken = options.Libvirt.ApiToken;
            return _ => Task.FromResult(fixedToken);
        }
        var settings = config.GetSection("Nova:Auth:Keystone").Get<KeystoneSettings>() ?? new KeystoneSettings();
        settings.Validate();
        var serviceToken = new ServiceToken(new KeystoneClient(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, settings), TimeProvider.System);
        return serviceToken.Get;
    }

    private static IComputeDriver CreateDriver(ComputeWorkerOptions options, string host, Func<CancellationToken, Task<string>> imageToken) => options.Driver switch
    {
        // Each fake host keeps its guests beside its journal, so they outlive a restart of this process.
        // Snapshots go to the same image service a libvirt host uses (Libvirt:ImageServiceUrl, with the same token).
        "fake" => new FakeDriver(options.Fake, options.Fake.Persistent ? Path.Combine(options.StatePath, host, "fake-domains") : null,
            new ImageService(new HttpClient { Timeout = TimeSpan.FromMinutes(5) }, options.Libvirt.ImageServiceUrl, imageToken)),
        "libvirt" => CreateLibvirtDriver(options.Libvirt, imageToken),
        _ => throw new InvalidOperationException($"Unknown compute driver '{options.Driver}' (supported: fake, libvirt)"),
    };

    private static LibvirtDriver CreateLibvirtDriver(LibvirtDriverOptions options, Func<CancellationToken, Task<string>> imageToken)
    {
        // No overall timeout: an image download may take long; ImageService cuts a stalled one and resumes it.
        var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        return new LibvirtDriver(options, new ImageCache(options.InstancesPath, new QemuImg()),
            new ImageService(http, options.ImageServiceUrl, imageToken, options.ImageDownloadInactivityTimeout));
    }
}
