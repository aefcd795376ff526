using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;
using Nova.Domain.Flavors;
using Nova.Domain.Servers;
using Nova.Projections;
using Nova.Projections.InstanceActions;
using Nova.Store;
using Nova.Projections.Rebuilding;

// Nova.ProjectionBench: projection rebuild rate and live projection lag (targets.md: rebuild >= 20,000
// events/s; lag p99 < 100 ms at 1,000 events/s). Progress on stderr, the Markdown report on stdout.
//   ConnectionStrings__Nova=... dotnet Nova.ProjectionBench.dll [--servers 10000] [--rate 1000] [--seconds 30] [--writers 4]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int servers = 10000, rate = 1000, seconds = 30, writers = 16, perCommit = 1;
for (var i = 0; i < args.Length; i++)
{
    int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--servers": servers = Next(); break;
        case "--rate": rate = Next(); break;
        case "--seconds": seconds = Next(); break;
        case "--writers": writers = Next(); break;
        case "--per-commit": perCommit = Next(); break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}
if (int.TryParse(Environment.GetEnvironmentVariable("BENCH_MIN_THREADS"), out var minThreads)) ThreadPool.SetMinThreads(minThreads, minThreads);
var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Nova") ?? throw new ArgumentException("set ConnectionStrings__Nova");
void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
var report = new List<string>();

// BENCH_GAP_EVIDENCE=off: wall-clock-only gap skipping (Marten's pre-#4953 behaviour), to see what the
// transaction-evidence hold costs in lag.
var evidence = Environment.GetEnvironmentVariable("BENCH_GAP_EVIDENCE") != "off";
await using var store = DocumentStore.For(o =>
{
    NovaStore.Configure(o, connection);
    o.Projections.AsyncMode = DaemonMode.ExternallyManaged;
    o.Projections.UseTransactionEvidenceForGapSkipping = evidence;
    // BENCH_POLL_MS=50: poll the store less often than the API does (10/25 ms), for larger daemon batches.
    if (int.TryParse(Environment.GetEnvironmentVariable("BENCH_POLL_MS"), out var poll))
        o.Projections.FastPollingTime = o.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(poll);
});
await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

// 1. Seed: realistic server lifecycles, appended through Marten as the control plane does (headers, request ids).
Log($"seeding {servers} server streams");
var seedClock = Stopwatch.StartNew();
var random = new Random(42);
long seeded = 0;
for (var batch = 0; batch < servers; batch += 200)
{
    await using var session = store.LightweightSession();
    session.CorrelationId = $"req-{Guid.NewGuid()}";
    session.SetHeader(EventHeaders.UserId, "bench");
    session.SetHeader(EventHeaders.ProjectId, "bench");
    for (var n = batch; n < Math.Min(servers, batch + 200); n++)
    {
        var events = Lifecycle.Of(Guid.NewGuid(), n, random);
        session.Events.StartStream<Server>(((IServerEvent)events[0]).ServerId, events);
        seeded += events.Count;
    }
    await session.SaveChangesAsync();
}
Log($"seeded {seeded} events in {seedClock.Elapsed.TotalSeconds:0.0} s");
report.Add($"Seeded {seeded:N0} events in {servers:N0} server streams ({seeded / (double)servers:0.0} per server: create, schedule, three build steps, built, then stops/starts, reboots, locks, a tenth deleted) in {seedClock.Elapsed.TotalSeconds:0.0} s.");
report.Add("");

// 2. Rebuild rate. Marten's own in-place rebuild first (it also puts the daemon's positions at the end of
// the store, which is where a zero-downtime rebuild replays up to), then ours.
report.Add("| rebuild | events | seconds | events/s |");
report.Add("|---|---|---|---|");
using (var daemon = await store.BuildProjectionDaemonAsync())
{
    foreach (var name in new[] { "ServerView", "InstanceActionLog" })
    {
        Log($"Marten RebuildProjectionAsync({name})");
        var clock = Stopwatch.StartNew();
        await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(10), CancellationToken.None);
        report.Add($"| Marten `RebuildProjectionAsync(\"{name}\")`, in place (tears the table down first) | {seeded:N0} | {clock.Elapsed.TotalSeconds:0.00} | {seeded / clock.Elapsed.TotalSeconds:N0} |");
    }
}
var rebuild = new ReadModelRebuild(connection);
foreach (var projections in new[] { new[] { ReplayedProjection.Named("ServerView")! }, ReplayedProjection.All.ToArray() })
{
    var names = string.Join(" + ", projections.Select(p => p.Name));
    Log($"nova-manage rebuild {names}");
    var summary = await rebuild.Run(projections, null, CancellationToken.None);
    report.Add($"| `nova-manage projections rebuild` {names}, zero downtime (shadow tables + switch, switch {summary.SwitchTime.TotalMilliseconds:N0} ms) | {summary.Events:N0} | {summary.Elapsed.TotalSeconds:0.00} | {summary.EventsPerSecond:N0} |");
}
report.Add("");
if (seconds == 0)
{
    Console.WriteLine(string.Join('\n', report));
    return 0;
}

// 3. Live lag: the daemon runs here with the API's settings; writers append one event per commit at the
// target rate; the daemon's shard-state feed says when ServerView has applied (committed) each sequence.
Log($"live lag: {rate} events/s for {seconds} s from {writers} writers");
var streams = new List<Guid>();
await using (var session = store.LightweightSession())
{
    for (var n = 0; n < writers * 50; n++)
    {
        var events = Lifecycle.Built(Guid.NewGuid(), n);
        session.Events.StartStream<Server>(((IServerEvent)events[0]).ServerId, events);
        streams.Add(((IServerEvent)events[0]).ServerId);
    }
    await session.SaveChangesAsync();
}
var applied = new ConcurrentQueue<(long Sequence, long At)>();
var appliedLogs = new ConcurrentQueue<(long Sequence, long At)>();
// BENCH_DAEMON_LOG=Debug: the daemon's own log on stderr (batch sizes and timings), for diagnosis.
using var loggers = Microsoft.Extensions.Logging.LoggerFactory.Create(b =>
{
    if (Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("BENCH_DAEMON_LOG"), out var level))
        b.SetMinimumLevel(level).AddSimpleConsole(o => { o.TimestampFormat = "HH:mm:ss.fff "; o.SingleLine = true; }).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
});
using var liveDaemon = await store.BuildProjectionDaemonAsync(null, loggers.CreateLogger("daemon"));
using var feed = liveDaemon.Tracker.Subscribe(new ShardFeed("ServerView:All", applied));
using var logFeed = liveDaemon.Tracker.Subscribe(new ShardFeed("InstanceActionLog:All", appliedLogs));
await liveDaemon.StartAllAsync();
// (CatchUpAsync would run the shards to the end and leave them stopped: wait on the running daemon instead.)
await liveDaemon.Tracker.WaitForShardState("ServerView:All", await Highest(), TimeSpan.FromMinutes(2));

var committed = new ConcurrentQueue<(long Sequence, long At)>();
var warmUp = TimeSpan.FromSeconds(3);
var phaseStart = Stopwatch.GetTimestamp();
var measureFrom = phaseStart + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
var phaseEnd = measureFrom + (long)seconds * Stopwatch.Frequency;
var interval = (double)Stopwatch.Frequency * writers * perCommit / rate;
long zeroSequences = 0;
// A second witness, as the API's read-your-writes wait sees it: the progression row, polled every 5 ms
// (the daemon commits it in the same transaction as the documents).
var polled = new ConcurrentQueue<(long Sequence, long At)>();
using var stopPolling = new CancellationTokenSource();
var poller = Task.Run(async () =>
{
    await using var conn = new NpgsqlConnection(connection);
    await conn.OpenAsync();
    await using var cmd = new NpgsqlCommand($"select last_seq_id from {NovaStore.Schema}.mt_event_progression where name = 'ServerView:All'", conn);
    while (!stopPolling.IsCancellationRequested)
    {
        polled.Enqueue(((long)(await cmd.ExecuteScalarAsync())!, Stopwatch.GetTimestamp()));
        await Task.Delay(5);
    }
});
await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
{
    var mine = streams.Where((_, i) => i % writers == w).ToList();
    if (mine.Count < perCommit) throw new ArgumentException("more events per commit than streams per writer");
    var step = new Dictionary<Guid, int>();
    await using var lookup = new NpgsqlConnection(connection);
    await lookup.OpenAsync();
    var due = (double)phaseStart + w * interval / writers;
    for (var n = 0; ; n++)
    {
        var now = Stopwatch.GetTimestamp();
        if (now >= phaseEnd) break;
        var wait = (due - now) / Stopwatch.Frequency;
        if (wait > 0.001) await Task.Delay(TimeSpan.FromSeconds(wait));
        due += interval;
        await using var session = store.LightweightSession();
        session.CorrelationId = $"req-{Guid.NewGuid()}";
        var actions = new List<JasperFx.Events.StreamAction>();
        for (var k = 0; k < perCommit; k++)
        {
            var id = mine[(n * perCommit + k) % mine.Count];
            var s = step.GetValueOrDefault(id);
            step[id] = (s + 1) % 4;
            object e = s switch
            {
                0 => new ServerStopRequested(id, "bench-1"),
                1 => new ServerStopped(id, "bench-1"),
                2 => new ServerStartRequested(id, "bench-1"),
                _ => new ServerStarted(id, "bench-1"),
            };
            actions.Add(session.Events.Append(id, e));
        }
        await session.SaveChangesAsync();
        var at = Stopwatch.GetTimestamp();
        foreach (var action in actions)
        {
            var sequence = action.Events[0].Sequence;
            if (sequence == 0)
            {
                Interlocked.Increment(ref zeroSequences);
                await using var cmd = new NpgsqlCommand($"select max(seq_id) from {NovaStore.Schema}.mt_events where stream_id = @id", lookup);
                cmd.Parameters.AddWithValue("id", action.Id);
                sequence = (long)(await cmd.ExecuteScalarAsync())!;
            }
            if (at >= measureFrom) committed.Enqueue((sequence, at));
        }
    }
})));
await liveDaemon.Tracker.WaitForShardState("ServerView:All", await Highest(), TimeSpan.FromMinutes(2));
await Task.Delay(50);
await stopPolling.CancelAsync();
await poller;
await liveDaemon.StopAllAsync();

var missing = 0;
List<double> Lags(IEnumerable<(long Sequence, long At)> witness, bool countMissing = false)
{
    var updates = witness.OrderBy(u => u.At).ToList();
    var lags = new List<double>();
    foreach (var (sequence, at) in committed)
    {
        // The first observation at or past this sequence (a commit may return after the daemon already applied it).
        var index = updates.FindIndex(u => u.Sequence >= sequence);
        if (index < 0) { if (countMissing) missing++; continue; }
        lags.Add(Math.Max(0, updates[index].At - at) * 1000.0 / Stopwatch.Frequency);
    }
    lags.Sort();
    return lags;
}
string Percentiles(List<double> lags)
{
    double Pct(double p) => lags.Count == 0 ? double.NaN : lags[Math.Min(lags.Count - 1, (int)Math.Ceiling(p / 100 * lags.Count) - 1)];
    return $"{Pct(50):0.0} / {Pct(95):0.0} / {Pct(99):0.0} / {lags.LastOrDefault():0.0} ms";
}
var lags = Lags(applied, countMissing: true);
var polledLags = Lags(polled);
var logLags = Lags(appliedLogs);
var achieved = committed.Count / (double)seconds;
report.Add("| live lag (commit returned → ServerView batch committed) | value |");
report.Add("|---|---|");
report.Add($"| events measured (after {warmUp.TotalSeconds:0} s warm-up) | {lags.Count:N0} in {seconds} s ({achieved:N0} events/s, {perCommit} event(s) per commit, {writers} writers){(missing > 0 ? $", {missing} never seen" : "")} |");
report.Add($"| gap skipping | {(evidence ? "Marten default (transaction evidence, as the API runs)" : "wall clock only (BENCH_GAP_EVIDENCE=off)")} |");
report.Add($"| p50 / p95 / p99 / max, daemon's shard-state feed | {Percentiles(lags)} |");
report.Add($"| p50 / p95 / p99 / max, progression row polled every 5 ms | {Percentiles(polledLags)} |");
report.Add($"| p50 / p95 / p99 / max, InstanceActionLog (shard-state feed; events it had not reached when ServerView caught up are left out) | {Percentiles(logLags)} |");
if (zeroSequences > 0) report.Add($"| (sequence read back by query for {zeroSequences} events) | |");
Console.WriteLine(string.Join('\n', report));
return 0;

async Task<long> Highest()
{
    await using var conn = new NpgsqlConnection(connection);
    await conn.OpenAsync();
    await using var cmd = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {NovaStore.Schema}.mt_events", conn);
    return (long)(await cmd.ExecuteScalarAsync())!;
}

sealed class ShardFeed(string shard, ConcurrentQueue<(long, long)> applied) : IObserver<ShardState>
{
    public void OnNext(ShardState state)
    {
        if (state.ShardName == shard && state.Action == ShardAction.Updated) applied.Enqueue((state.Sequence, Stopwatch.GetTimestamp()));
    }
    public void OnError(Exception error) { }
    public void OnCompleted() { }
}

static class Lifecycle
{
    private static readonly FlavorSpec Flavor = new("1", "m1.tiny", 1, 512, 1);

    public static List<object> Built(Guid id, int n) =>
    [
        new ServerCreateRequested(id, $"bench-{n}", "bench", "bench", Flavor, "cirros", new Dictionary<string, string>(), "none", DateTimeOffset.UtcNow),
        new ServerScheduled(id, "bench-1"),
        new ServerBuildStepStarted(id, "bench-1", TaskState.Networking),
        new ServerBuildStepStarted(id, "bench-1", TaskState.BlockDeviceMapping),
        new ServerBuildStepStarted(id, "bench-1", TaskState.Spawning),
        new ServerBuilt(id, "bench-1", DateTimeOffset.UtcNow),
    ];

    public static List<object> Of(Guid id, int n, Random random)
    {
        var events = Built(id, n);
        for (var a = random.Next(0, 3); a > 0; a--)
        {
            events.AddRange([new ServerStopRequested(id, "bench-1"), new ServerStopped(id, "bench-1"),
                new ServerStartRequested(id, "bench-1"), new ServerStarted(id, "bench-1")]);
            events.AddRange([new ServerRebootRequested(id, "bench-1", RebootType.Soft), new ServerRebooted(id, "bench-1")]);
        }
        if (random.Next(4) == 0) events.AddRange([new ServerLocked(id, "bench", null), new ServerUnlocked(id)]);
        if (n % 10 == 0) events.AddRange([new ServerDeleteRequested(id, "bench-1"), new ServerDeleted(id, DateTimeOffset.UtcNow)]);
        return events;
    }
}
