using System.Net;
using System.Net.Sockets;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Nova.ComputeWorker;
using Nova.Domain.Hosts;

namespace Nova.Api.Tests.Infrastructure;

public sealed record StackOptions(
    int Hosts = 1, int Vcpus = 64, int MemoryMb = 131072, int DiskGb = 4096,
    double SpawnFailureRate = 0, int DelayMs = 0, int ReportIntervalSeconds = 10, int PowerSyncIntervalSeconds = 60,
    IReadOnlyDictionary<string, string?>? Settings = null, string? Postgres = null);

/// <summary>
/// A whole control plane on real PostgreSQL and RabbitMQ: the API process (daemon, relay,
/// scheduler, conductor) listening on a free port, and a compute worker with fake hosts, each
/// in its own database and queue namespace so stacks never see each other's traffic.
/// </summary>
public sealed class ControlPlaneStack : IAsyncLifetime
{
    public static readonly string DefaultImage = "8f4c3b2a-1d5e-4c6f-9a7b-0e1d2c3b4a59";
    private readonly StackOptions options;
    private readonly string name = "t" + Guid.NewGuid().ToString("N")[..10];
    private string adminConnection = "";
    private WebApplication? api;
    private IHost? worker;
    private readonly List<WebApplication> otherApis = new();
    private Dictionary<string, string?> settings = new();

    public ControlPlaneStack() => options = new StackOptions();

    /// <summary>A stack of its own, for tests that need other hosts or failure injection.</summary>
    public static ControlPlaneStack With(StackOptions options) => new(options, 0);

    private ControlPlaneStack(StackOptions options, int _) => this.options = options;

    public Uri BaseAddress { get; private set; } = null!;
    /// <summary>The gRPC API (<c>Nova:Grpc:Url</c>), on a port of its own.</summary>
    public Uri GrpcAddress { get; private set; } = null!;
    /// <summary>This stack's image store folder (<c>Nova:Images:StorePath</c>), removed on dispose.</summary>
    public string ImageStorePath { get; } = Path.Combine(Path.GetTempPath(), "nova-images-" + Guid.NewGuid().ToString("N")[..10]);
    /// <summary>The compute worker's journal (<c>Nova:Compute:StatePath</c>): kept across <see cref="StopWorker"/>, removed on dispose.</summary>
    public string WorkerStatePath { get; } = Path.Combine(Path.GetTempPath(), "nova-compute-" + Guid.NewGuid().ToString("N")[..10]);
    public IDocumentStore Store => api!.Services.GetRequiredService<IDocumentStore>();
    public IServiceProvider Services => api!.Services;
    public IServiceProvider WorkerServices => worker!.Services;

    public async Task InitializeAsync()
    {
        var (sharedPostgres, rabbitHost, rabbitPort) = await TestServices.Get();
        var postgres = options.Postgres ?? sharedPostgres;
        adminConnection = new NpgsqlConnectionStringBuilder(postgres) { Database = "postgres" }.ConnectionString;
        await using (var conn = new NpgsqlConnection(adminConnection))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        GrpcAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Nova"] = new NpgsqlConnectionStringBuilder(postgres) { Database = name }.ConnectionString,
            ["Nova:RabbitMq:Host"] = rabbitHost,
            ["Nova:RabbitMq:Port"] = rabbitPort.ToString(),
            ["Nova:RabbitMq:User"] = "guest",
            ["Nova:RabbitMq:Pass"] = "guest",
            ["Nova:Bus:QueuePrefix"] = name + ".",
            ["Nova:Api:Url"] = BaseAddress.ToString().TrimEnd('/'),
            ["Nova:Grpc:Url"] = GrpcAddress.ToString().TrimEnd('/'),
            ["Nova:Images:Default"] = "cirros",
            ["Nova:Images:StorePath"] = ImageStorePath,
            ["Nova:Compute:FakeHosts"] = options.Hosts.ToString(),
            ["Nova:Compute:StatePath"] = WorkerStatePath,
            // Fake hosts upload their snapshots here too.
            ["Nova:Compute:Libvirt:ImageServiceUrl"] = BaseAddress.ToString().TrimEnd('/') + "/image",
            ["Nova:Compute:Fake:Vcpus"] = options.Vcpus.ToString(),
            ["Nova:Compute:Fake:MemoryMb"] = options.MemoryMb.ToString(),
            ["Nova:Compute:Fake:DiskGb"] = options.DiskGb.ToString(),
            ["Nova:Compute:Fake:SpawnFailureRate"] = options.SpawnFailureRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Nova:Compute:Fake:DelayMs"] = options.DelayMs.ToString(),
            ["Nova:Compute:ReportIntervalSeconds"] = options.ReportIntervalSeconds.ToString(),
            ["Nova:Compute:PowerSyncIntervalSeconds"] = options.PowerSyncIntervalSeconds.ToString(),
            // Tests boot hundreds of servers per project; quota tests set their own limits.
            ["Nova:Quota:Defaults:Instances"] = "-1",
            ["Nova:Quota:Defaults:Cores"] = "-1",
            ["Nova:Quota:Defaults:RamMb"] = "-1",
        };

        foreach (var (key, value) in options.Settings ?? new Dictionary<string, string?>())
            settings[key] = value?.Replace("{BaseAddress}", BaseAddress.ToString().TrimEnd('/'));
        api = ControlPlane.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection(settings);
            Quiet(b.Logging);
        });
        await api.StartAsync();

        this.settings = settings;
        await StartWorker();

        // Ready when every host has registered through the bus and the conductor.
        await Eventually.True(async () =>
        {
            await using var session = Store.QuerySession();
            return await session.Query<Domain.Hosts.ComputeHost>().CountAsync() == options.Hosts;
        }, TimeSpan.FromSeconds(30), "compute hosts registered");
    }

    /// <summary>Starts the compute worker process's host (again, after <see cref="StopWorker"/>).</summary>
    public async Task StartWorker()
    {
        var workerBuilder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        workerBuilder.Configuration.AddInMemoryCollection(settings);
        Quiet(workerBuilder.Logging);
        workerBuilder.Services.AddComputeWorker(workerBuilder.Configuration);
        worker = workerBuilder.Build();
        await worker.StartAsync();
    }

    /// <summary>Another API process on the same database and queues, at its own address (as a second node behind a balancer).</summary>
    public async Task<Uri> StartAnotherApi()
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var other = new Dictionary<string, string?>(settings)
        {
            ["Nova:Api:Url"] = address.ToString().TrimEnd('/'),
            ["Nova:Grpc:Url"] = $"http://127.0.0.1:{FreePort()}",
        };
        var app = ControlPlane.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection(other);
            Quiet(b.Logging);
        });
        await app.StartAsync();
        otherApis.Add(app);
        return address;
    }

    /// <summary>Stops the first API process (its services stay readable for the test's own checks).</summary>
    public Task StopApi() => api!.StopAsync();

    /// <summary>Stops the compute worker as a crash would leave it: its queue stays, its memory is gone.</summary>
    public async Task StopWorker()
    {
        if (worker is null) return;
        await worker.StopAsync();
        worker.Dispose();
        worker = null;
    }

    public async Task DisposeAsync()
    {
        if (worker is not null) { await worker.StopAsync(); worker.Dispose(); }
        foreach (var other in otherApis) { await other.StopAsync(); await other.DisposeAsync(); }
        if (api is not null) { await api.StopAsync(); await api.DisposeAsync(); }
        if (Directory.Exists(ImageStorePath)) Directory.Delete(ImageStorePath, recursive: true);
        if (Directory.Exists(WorkerStatePath)) Directory.Delete(WorkerStatePath, recursive: true);
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(adminConnection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>An HTTP client with a noauth2 token (<c>user:project</c>; user admin is an admin).</summary>
    public HttpClient Client(string token, string? microversion = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Auth-Token", token);
        if (microversion is not null) client.DefaultRequestHeaders.Add("OpenStack-API-Version", $"compute {microversion}");
        return client;
    }

    public async Task<long> EventCount()
    {
        await using var session = Store.QuerySession();
        var stats = await Store.Advanced.FetchEventStoreStatistics();
        return stats.EventCount;
    }

    public async Task<Domain.Hosts.ComputeHost> ComputeHost(string hostName)
    {
        await using var session = Store.QuerySession();
        return (await session.LoadAsync<Domain.Hosts.ComputeHost>(ComputeHostId.From(hostName)))!;
    }

    /// <summary>Warnings only, and only on the console when NOVA_TEST_LOGS=1 (for debugging a failing test).</summary>
    private static void Quiet(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Warning);
        if (Environment.GetEnvironmentVariable("NOVA_TEST_LOGS") == "1") logging.AddConsole();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<ControlPlaneStack>
{
    public const string Name = "control plane";
}
