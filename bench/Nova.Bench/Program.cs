using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Nova.Bench;

// Nova.Bench: the 50-server scenarios of /work/shared/reference/targets.md against a running stack.
// Progress goes to stderr, the Markdown report to stdout.
//   dotnet Nova.Bench.dll --url http://127.0.0.1:8775 --count 50 --data /tmp/nova-bench.X [--timeout 120] [--command "…"]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

string url = "http://127.0.0.1:8775", command = "";
string? data = null;
int count = 50, timeoutSeconds = 120, quietWaitSeconds = 0;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--url": url = Next(); break;
        case "--count": count = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--data": data = Next(); break;
        case "--timeout": timeoutSeconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--command": command = Next(); break;
        case "--quiet-wait": quietWaitSeconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "-h" or "--help":
            Console.WriteLine("Nova.Bench --url URL [--count 50] [--data NOVA_DATA folder] [--timeout seconds per phase] [--quiet-wait seconds] [--command text]");
            return 0;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

var timeout = TimeSpan.FromSeconds(timeoutSeconds);
using var http = NovaClient.NewHttp(url);
var bench = new NovaClient(http, "bench:bench");
var empty = new NovaClient(http, "empty:empty");
var rows = new List<(string Scenario, string Result, string Target, string Reference)>();
var notes = new List<string>();
void Log(string text) => Console.Error.WriteLine($"[{DateTimeOffset.Now:HH:mm:ss.fff}] {text}");
string Sec(double ms) => $"{ms / 1000:0.00} s";
string Ms(double ms) => $"{ms:0.0} ms";
string Verdict(bool ok) => ok ? "✅" : "❌";

// Leftovers (a previous run that failed half way) would skew every count: start from an empty project.
var leftovers = await bench.ListDetail();
if (leftovers.Count > 0)
{
    Log($"deleting {leftovers.Count} leftover servers of project bench");
    await DeleteAllAndWait(leftovers.Select(s => s.Id).ToList());
}

// Other work on the machine (builds, tests) skews every number on 2 cores: optionally wait for a quiet moment.
if (quietWaitSeconds > 0)
{
    var quietDeadline = Clock.Now + quietWaitSeconds * 1000.0;
    double busyShare;
    while (true)
    {
        var (b0, t0) = ProcStats.MachineTicks();
        await Task.Delay(3000);
        var (b1, t1) = ProcStats.MachineTicks();
        busyShare = (double)(b1 - b0) / Math.Max(1, t1 - t0);
        if (busyShare < 0.15) break;
        if (Clock.Now > quietDeadline) break;
        Log($"machine {busyShare:P0} busy; waiting for it to quieten (up to {quietWaitSeconds} s)");
    }
    notes.Add(busyShare < 0.15
        ? $"Started when the machine was quiet ({busyShare:P0} of all CPUs busy over 3 s)."
        : $"The machine never became quiet in {quietWaitSeconds} s ({busyShare:P0} of all CPUs busy over the last 3 s before the run): numbers are skewed by other work.");
}

var started = DateTimeOffset.Now;
var loadBefore = string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
var clkTck = long.TryParse(Shell("getconf", "CLK_TCK"), out var tck) ? tck : 100;
StackProcs? before = data is null ? null : ProcStats.Find(data);
if (before is not null) Log("processes: " + before.Describe());
var machineBefore = ProcStats.MachineTicks();
var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var wallStart = Clock.Now;

// a. one POST with min_count = max_count = count
{
    Log($"a: one POST /servers with min_count = max_count = {count}");
    var body = NovaClient.CreateBody("bench-a", count);
    var t0 = Clock.Now;
    string? failure = null;
    double postMs = 0;
    try
    {
        await bench.Create(body);
        postMs = Clock.Now - t0;
    }
    catch (Exception e) when (e is NovaApiException or HttpRequestException or TaskCanceledException)
    {
        failure = e.Message;
    }
    var poll = failure is null
        ? await PollUntil(list => Terminal(list, count))
        : new PollOutcome(false, 0, [], 0);
    var active = poll.Last.Count(s => s.Status == "ACTIVE");
    var errors = poll.Last.Count(s => s.Status == "ERROR");
    var ok = failure is null && poll.Done && active == count;
    var allActiveMs = poll.At - t0;
    rows.Add(($"a. one `POST /servers` min_count = max_count = {count}, until all ACTIVE",
        ok ? $"{Sec(allActiveMs)} {Verdict(allActiveMs <= 3000)} (POST answered in {Ms(postMs)}; {poll.Polls} polls)"
           : $"FAILED: {failure ?? $"{active} ACTIVE, {errors} ERROR of {poll.Last.Count} listed after {Sec(allActiveMs)}"} {StatusSummary(poll.Last)}",
        "≤ 3 s", "30–34 s"));
    Log($"a: {active}/{count} ACTIVE after {Sec(allActiveMs)}");

    var ids = (await bench.ListDetail()).Select(s => s.Id).ToList();
    var delMs = await DeleteAllAndWait(ids);
    rows.Add(($"a′. cleanup: {ids.Count} parallel `DELETE` of a's servers, until the list is empty", Sec(delMs), "(≤ 1.8 s, as d)", "—"));
    Log($"a: deleted {ids.Count} in {Sec(delMs)}");
}

// b. count parallel single POSTs
List<string> bIds;
{
    Log($"b: {count} parallel single POST /servers");
    var bodies = Enumerable.Range(0, count).Select(i => NovaClient.CreateBody($"bench-b-{i:00}")).ToArray();
    var postStart = new double[count];
    var postEnd = new double[count];
    var ids = new string?[count];
    var failures = new ConcurrentBag<string>();
    var activeAt = new Dictionary<string, double>();
    var t0 = Clock.Now;
    var posts = Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
    {
        postStart[i] = Clock.Now;
        try
        {
            ids[i] = await bench.Create(bodies[i]);
        }
        catch (Exception e) when (e is NovaApiException or HttpRequestException or TaskCanceledException)
        {
            failures.Add(e.Message);
        }
        postEnd[i] = Clock.Now;
    }));
    var poll = await PollUntil(list =>
    {
        var now = Clock.Now;
        foreach (var s in list)
            if (s.Status == "ACTIVE") activeAt.TryAdd(s.Id, now);
        if (!posts.IsCompleted) return false;
        var mine = ids.Where(id => id is not null).Select(id => id!).ToHashSet();
        return list.Where(s => mine.Contains(s.Id)).Count(s => s.Status is "ACTIVE" or "ERROR") == mine.Count;
    });
    await posts;
    var posted = Enumerable.Range(0, count).Where(i => ids[i] is not null).ToList();
    var latencies = posted.Where(i => activeAt.ContainsKey(ids[i]!)).Select(i => activeAt[ids[i]!] - postStart[i]).ToList();
    var postLatencies = posted.Select(i => postEnd[i] - postStart[i]).ToList();
    var ok = failures.IsEmpty && poll.Done && latencies.Count == count;
    var allActiveMs = poll.At - t0;
    rows.Add(($"b. {count} parallel single `POST /servers`, until all ACTIVE",
        ok ? $"{Sec(allActiveMs)} {Verdict(allActiveMs <= 3000)} ({poll.Polls} polls)"
           : $"FAILED: {latencies.Count}/{count} ACTIVE after {Sec(allActiveMs)}, {failures.Count} POST errors{(failures.IsEmpty ? "" : $" (first: {failures.First()})")} {StatusSummary(poll.Last)}",
        "≤ 3 s", "33 s"));
    if (latencies.Count > 0)
        rows.Add(("b′. per server, its POST → first poll that sees it ACTIVE: p50 / p95 / max",
            $"{Ms(Pct(latencies, 50))} / {Ms(Pct(latencies, 95))} / {Ms(latencies.Max())}", "—", "—"));
    if (postLatencies.Count > 0)
        rows.Add(("b″. `POST /servers` response time under 50-way concurrency: p50 / p95 / max",
            $"{Ms(Pct(postLatencies, 50))} / {Ms(Pct(postLatencies, 95))} / {Ms(postLatencies.Max())}", "—", "—"));
    bIds = posted.Select(i => ids[i]!).ToList();
    Log($"b: {latencies.Count}/{count} ACTIVE after {Sec(allActiveMs)}");
}

// c. 200 sequential GET /servers/detail with the servers of b
{
    Log("c: 200 sequential GET /servers/detail");
    var (ms, seen) = await Sequential(bench, 200);
    var med = Pct(ms, 50);
    var p95 = Pct(ms, 95);
    rows.Add(($"c. `GET /servers/detail` with {seen} servers, 200 sequential calls: median / p95",
        $"{Ms(med)} / {Ms(p95)} {Verdict(med <= 10 && p95 <= 15)} (min {Ms(ms.Min())}, max {Ms(ms.Max())}; median of calls 1–100 {Ms(Pct(ms[..100], 50))}, of 101–200 {Ms(Pct(ms[100..], 50))})",
        "≤ 10 / 15 ms", "105 / 125–146 ms"));
    if (seen != count) notes.Add($"c ran with {seen} servers listed, not {count}.");
}

// d. count parallel DELETEs until gone from the list
{
    Log($"d: {bIds.Count} parallel DELETE");
    var deleteLatencies = new ConcurrentBag<double>();
    var failures = new ConcurrentBag<string>();
    var t0 = Clock.Now;
    var deletes = Task.WhenAll(bIds.Select(async id =>
    {
        var start = Clock.Now;
        try
        {
            await bench.Delete(id);
        }
        catch (Exception e) when (e is NovaApiException or HttpRequestException or TaskCanceledException)
        {
            failures.Add(e.Message);
        }
        deleteLatencies.Add(Clock.Now - start);
    }));
    var mine = bIds.ToHashSet();
    var poll = await PollUntil(list => deletes.IsCompleted && !list.Any(s => mine.Contains(s.Id)));
    await deletes;
    var goneMs = poll.At - t0;
    var ok = poll.Done && failures.IsEmpty;
    rows.Add(($"d. {bIds.Count} parallel `DELETE`, until gone from the list",
        ok ? $"{Sec(goneMs)} {Verdict(goneMs <= 1800)} (DELETE answered p50 {Ms(Pct(deleteLatencies.ToList(), 50))}, max {Ms(deleteLatencies.Max())})"
           : $"FAILED: {poll.Last.Count(s => mine.Contains(s.Id))} still listed after {Sec(goneMs)}, {failures.Count} DELETE errors{(failures.IsEmpty ? "" : $" (first: {failures.First()})")} {StatusSummary(poll.Last)}",
        "≤ 1.8 s", "18 s"));
    Log($"d: gone after {Sec(goneMs)}");
}

// e. 200 sequential GET /servers/detail for a project without servers
{
    Log("e: 200 sequential GET /servers/detail, project without servers");
    var (ms, seen) = await Sequential(empty, 200);
    var med = Pct(ms, 50);
    rows.Add(("e. `GET /servers/detail` with no servers (project `empty`), 200 sequential calls: median (p95)",
        $"{Ms(med)} {Verdict(med <= 2)} (p95 {Ms(Pct(ms, 95))})", "≤ 2 ms", "18 ms"));
    if (seen != 0) notes.Add($"e: project `empty` listed {seen} servers.");
}

var wallMs = Clock.Now - wallStart;
var machineAfter = ProcStats.MachineTicks();
var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore).TotalSeconds;

// f. CPU over a–e
if (data is not null && before is not null)
{
    var after = ProcStats.Find(data);
    double Cpu(Func<StackProcs, IEnumerable<ProcInfo>> group) =>
        (double)(group(after).Sum(p => p.Ticks) - group(before).Sum(p => p.Ticks)) / clkTck;
    var api = Cpu(s => s.Api);
    var worker = Cpu(s => s.Worker);
    var pg = Cpu(s => s.Postgres);
    var rmq = Cpu(s => s.RabbitMq);
    var total = api + worker + pg + rmq;
    rows.Add(("f. CPU of the control plane (Api + worker) over a–e",
        $"{api + worker:0.00} CPU-s (Api {api:0.00}, worker {worker:0.00})", "—", "—"));
    rows.Add(("f′. CPU of all services (control plane + PostgreSQL + RabbitMQ) over a–e",
        $"{total:0.00} CPU-s {Verdict(total <= 20)} (PostgreSQL {pg:0.00}, RabbitMQ {rmq:0.00})", "≤ 20 CPU-s", "~200 CPU-s"));
    var machineBusy = (double)(machineAfter.Busy - machineBefore.Busy) / clkTck;
    notes.Add($"Scenarios a–e took {Sec(wallMs)} of wall time; the whole machine was busy for {machineBusy:0.00} CPU-s in that time " +
              $"({machineBusy - total:0.00} CPU-s outside the stack: {clientCpu:0.00} by this benchmark client, {machineBusy - total - clientCpu:0.00} by anything else running on the machine).");
    if (before.Api.Count == 0 || before.Worker.Count == 0 || before.Postgres.Count == 0 || before.RabbitMq.Count == 0)
        notes.Add("Some stack processes were NOT FOUND; the CPU and memory rows miss them: " + before.Describe());

    // g. idle RSS
    Log("g: 5 s idle, then RSS");
    await Task.Delay(TimeSpan.FromSeconds(5));
    var idle = ProcStats.Find(data);
    double Mib(IEnumerable<ProcInfo> procs, bool pss = false) => procs.Sum(p => pss ? p.PssKb : p.RssKb) / 1024.0;
    var cp = Mib(idle.ControlPlane);
    rows.Add(("g. idle RSS of the control plane (Api + worker), after 5 s idle",
        $"{cp:0} MiB {Verdict(cp <= 380)} (Api {Mib(idle.Api):0}, worker {Mib(idle.Worker):0})", "≤ 380 MiB", "1,885 MiB (nova + placement + keystone)"));
    rows.Add(($"g′. idle memory of PostgreSQL ({idle.Postgres.Count} processes)",
        $"RSS sum {Mib(idle.Postgres):0} MiB, PSS sum {Mib(idle.Postgres, pss: true):0} MiB (RSS double-counts shared buffers)", "—", "—"));
    rows.Add(($"g″. idle memory of RabbitMQ ({idle.RabbitMq.Count} processes)",
        $"RSS {Mib(idle.RabbitMq):0} MiB, PSS {Mib(idle.RabbitMq, pss: true):0} MiB", "—", "—"));
    var all = Mib(idle.All, pss: true);
    rows.Add(("g‴. idle memory of everything (control plane + PostgreSQL + RabbitMQ), PSS", $"{all:0} MiB", "—", "—"));
    notes.Add("Processes at the end: " + idle.Describe() + ".");
}
else
{
    notes.Add("No --data given: CPU (f) and memory (g) were not measured.");
}

// report
Console.WriteLine($"# Nova spine benchmark ({count} servers)");
Console.WriteLine();
Console.WriteLine($"- date: {started:yyyy-MM-dd HH:mm:ss zzz}");
Console.WriteLine($"- machine: {Shell("nproc")} CPUs ({CpuModel()}), {MemTotalGib():0.0} GiB memory, kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}, " +
                  $"load average before the run {loadBefore}");
Console.WriteLine($"- .NET SDK: `dotnet --version` = {Shell("dotnet", "--version")}");
if (command.Length > 0) Console.WriteLine($"- command: `{command}`");
Console.WriteLine($"- program: `dotnet Nova.Bench.dll {string.Join(' ', args.Select(a => a.Contains(' ') ? $"\"{a}\"" : a))}`");
Console.WriteLine($"- API: {url}/v2.1, token `bench:bench` (empty project: `empty:empty`), `OpenStack-API-Version: compute 2.37`, " +
                  $"flavor 1 (m1.tiny), image {NovaClient.DefaultImage}, networks none; GET /servers/detail polled every ~20 ms");
Console.WriteLine();
Console.WriteLine("| scenario | result | target | Nova Zed reference |");
Console.WriteLine("|---|---|---|---|");
foreach (var (scenario, result, target, reference) in rows)
    Console.WriteLine($"| {scenario} | {result} | {target} | {reference} |");
Console.WriteLine();
foreach (var note in notes) Console.WriteLine($"- {note}");
return rows.Any(r => r.Result.StartsWith("FAILED", StringComparison.Ordinal)) ? 1 : 0;

// ---------------------------------------------------------------------------------------------

async Task<PollOutcome> PollUntil(Func<List<ServerRow>, bool> done)
{
    var deadline = Clock.Now + timeout.TotalMilliseconds;
    var polls = 0;
    List<ServerRow> last = [];
    while (true)
    {
        var start = Clock.Now;
        try
        {
            last = await bench.ListDetail();
        }
        catch (Exception e) when (e is NovaApiException or HttpRequestException or TaskCanceledException)
        {
            Log($"poll failed: {e.Message}");
        }
        polls++;
        var at = Clock.Now;
        if (done(last)) return new PollOutcome(true, at, last, polls);
        if (at > deadline) return new PollOutcome(false, at, last, polls);
        var wait = start + 20 - Clock.Now;
        if (wait > 1) await Task.Delay(TimeSpan.FromMilliseconds(wait));
    }
}

bool Terminal(List<ServerRow> list, int n) =>
    list.Count >= n && list.Count(s => s.Status is "ACTIVE" or "ERROR") >= n;

async Task<double> DeleteAllAndWait(List<string> ids)
{
    var t0 = Clock.Now;
    await Task.WhenAll(ids.Select(async id =>
    {
        try
        {
            await bench.Delete(id);
        }
        catch (Exception e) when (e is NovaApiException or HttpRequestException or TaskCanceledException)
        {
            Log($"cleanup: {e.Message}");
        }
    }));
    var poll = await PollUntil(list => list.Count == 0);
    if (!poll.Done) notes.Add($"Cleanup left {poll.Last.Count} servers listed {StatusSummary(poll.Last)}.");
    return poll.At - t0;
}

async Task<(List<double> Ms, int Seen)> Sequential(NovaClient client, int calls)
{
    var ms = new List<double>(calls);
    var seen = 0;
    for (var i = 0; i < calls; i++)
    {
        var (t, n) = await client.TimedListDetail();
        ms.Add(t);
        seen = n;
    }
    return (ms, seen);
}

static string StatusSummary(List<ServerRow> list) =>
    list.Count == 0 ? "" : "(statuses: " + string.Join(", ", list.GroupBy(s => s.Status).Select(g => $"{g.Key} {g.Count()}")) + ")";

static double Pct(List<double> values, double p)
{
    var sorted = values.OrderBy(v => v).ToArray();
    if (sorted.Length == 0) return double.NaN;
    var rank = p / 100 * (sorted.Length - 1);
    var lo = (int)Math.Floor(rank);
    var hi = Math.Min(lo + 1, sorted.Length - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

static string Shell(string file, params string[] arguments)
{
    try
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return output;
    }
    catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
    {
        return "?";
    }
}

static string CpuModel() =>
    File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";

static double MemTotalGib() =>
    long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;

internal sealed record PollOutcome(bool Done, double At, List<ServerRow> Last, int Polls);
