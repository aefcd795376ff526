using System.Diagnostics;
using System.Globalization;
using Marten;
using Nova.Projections;
using Nova.Projections.Audit;

// Usage:
//   seed   CONNECTION EVENTS          append EVENTS events through Marten (the chain trigger included), 1000 per transaction
//   seed-unchained CONNECTION EVENTS  the same with the chain trigger disabled meanwhile (what the chain costs)
//   export URL API_PID [QUERY]        stream GET /v2.1/events/export, sampling the API's resident memory
//   verify CONNECTION                 recompute every hash chain in this process
var mode = args.ElementAtOrDefault(0);
switch (mode)
{
    case "seed": await Seed(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), chained: true); break;
    case "seed-unchained": await Seed(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), chained: false); break;
    case "export": await Export(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args.ElementAtOrDefault(3) ?? ""); break;
    case "verify": await Verify(args[1]); break;
    default: Console.Error.WriteLine("usage: seed CONNECTION EVENTS | export URL API_PID [QUERY] | verify CONNECTION"); return 2;
}
return 0;

static DocumentStore Store(string connection) => DocumentStore.For(opts => NovaStore.Configure(opts, connection));

static async Task Seed(string connection, int events, bool chained)
{
    await using var store = Store(connection);
    await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    if (!chained) await Sql(store, "ALTER TABLE nova.mt_events DISABLE TRIGGER mt_events_chain");
    const int perStream = 50, perTransaction = 1000;
    var watch = Stopwatch.StartNew();
    for (var done = 0; done < events; done += perTransaction)
    {
        await using var session = store.LightweightSession();
        session.SetHeader("user_id", "bench");
        session.SetHeader("project_id", $"project-{done / perTransaction % 10}");
        session.CorrelationId = $"req-{Guid.NewGuid()}";
        for (var s = 0; s < perTransaction / perStream; s++)
            session.Events.StartStream(Guid.NewGuid(), Enumerable.Range(0, perStream)
                .Select(n => (object)new AuditBenchRecorded(done + s * perStream + n, $"server-{n}", "8f4c3b2a-1d5e-4c6f-9a7b-0e1d2c3b4a59",
                    new Dictionary<string, string> { ["role"] = "bench", ["tier"] = "web" }, DateTimeOffset.UtcNow)).ToArray());
        await session.SaveChangesAsync();
    }
    Console.WriteLine($"seeded {events} events in {watch.Elapsed.TotalSeconds:F1} s: {events / watch.Elapsed.TotalSeconds:F0} events/s (chain trigger {(chained ? "on" : "OFF")})");
    if (!chained) await Sql(store, "ALTER TABLE nova.mt_events ENABLE TRIGGER mt_events_chain");
}

static async Task Sql(DocumentStore store, string sql)
{
    await using var session = store.QuerySession();
    await session.ExecuteAsync(new Npgsql.NpgsqlCommand(sql));
}

static async Task Export(string url, int apiPid, string query)
{
    using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    http.DefaultRequestHeaders.Add("X-Auth-Token", "admin:admin");
    var before = Rss(apiPid);
    long peak = before, lines = 0, bytes = 0;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peak = Math.Max(peak, Rss(apiPid));
            try { await Task.Delay(50, sampling.Token); } catch (OperationCanceledException) { }
        }
    });
    var watch = Stopwatch.StartNew();
    using (var response = await http.GetAsync($"{url}/v2.1/events/export{query}", HttpCompletionOption.ResponseHeadersRead))
    {
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
    }
    var elapsed = watch.Elapsed.TotalSeconds;
    sampling.Cancel();
    await sampler;
    Console.WriteLine($"exported {lines} events, {bytes / 1048576.0:F1} MiB in {elapsed:F1} s: {lines / elapsed:F0} events/s, {bytes / 1048576.0 / elapsed:F1} MiB/s");
    Console.WriteLine($"API resident memory: {before / 1024} MiB before, {peak / 1024} MiB peak during the export (+{(peak - before) / 1024} MiB)");
}

static async Task Verify(string connection)
{
    await using var store = Store(connection);
    var watch = Stopwatch.StartNew();
    var result = await EventChain.Verify(store);
    Console.WriteLine($"verified {result.EventsChecked} events in {result.StreamsChecked} streams in {watch.Elapsed.TotalSeconds:F1} s: " +
                      $"{result.EventsChecked / watch.Elapsed.TotalSeconds:F0} events/s, intact={result.Intact}");
}

/// <summary>VmRSS of a process, in KiB.</summary>
static long Rss(int pid) =>
    File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
        .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();

/// <summary>A bench-only event, about the size of a server's create request; nothing in the control plane reacts to it.</summary>
public sealed record AuditBenchRecorded(int Number, string Name, string ImageId, IReadOnlyDictionary<string, string> Metadata, DateTimeOffset At);
