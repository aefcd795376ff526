using System.Globalization;

namespace Nova.Bench;

/// <summary>One process of the stack as /proc shows it.</summary>
public sealed record ProcInfo(int Pid, int PPid, string Comm, string Cmdline, long OwnTicks, long ChildTicks, long RssKb, long PssKb)
{
    /// <summary>utime + stime, plus cutime + cstime (children it has reaped, e.g. PostgreSQL backends that exited).</summary>
    public long Ticks => OwnTicks + ChildTicks;
}

/// <summary>The processes of one benchmarked stack, found by its data folder.</summary>
public sealed record StackProcs(
    IReadOnlyList<ProcInfo> Api,
    IReadOnlyList<ProcInfo> Worker,
    IReadOnlyList<ProcInfo> Postgres,
    IReadOnlyList<ProcInfo> RabbitMq)
{
    public IEnumerable<ProcInfo> ControlPlane => Api.Concat(Worker);
    public IEnumerable<ProcInfo> All => ControlPlane.Concat(Postgres).Concat(RabbitMq);

    public string Describe() =>
        $"Api {Pids(Api)}, worker {Pids(Worker)}, PostgreSQL {Postgres.Count} processes, RabbitMQ {RabbitMq.Count} processes ({string.Join(", ", RabbitMq.Select(p => $"{p.Comm}:{p.Pid}"))})";

    private static string Pids(IReadOnlyList<ProcInfo> procs) => procs.Count == 0 ? "NOT FOUND" : string.Join(",", procs.Select(p => p.Pid));
}

public static class ProcStats
{
    /// <summary>
    /// Api and worker: <c>dotnet Nova.Api.dll</c> / <c>dotnet Nova.ComputeWorker.dll</c> whose environment has
    /// NOVA_DATA=data (run.sh exports it; their command lines do not name the folder). PostgreSQL: the postmaster
    /// whose command line names the folder, and all its descendants (backends retitle themselves). RabbitMQ: beam.smp
    /// whose command line names the folder, and epmd whose command line or environment does, with descendants.
    /// </summary>
    public static StackProcs Find(string data)
    {
        data = Path.GetFullPath(data).TrimEnd('/');
        var inFolder = data + "/";
        var procs = new Dictionary<int, ProcInfo>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (Read(pid, withMemory: false) is { } p) procs[pid] = p;
        }

        bool EnvHas(int pid, string entry)
        {
            try
            {
                return File.ReadAllText($"/proc/{pid}/environ").Split('\0').Contains(entry);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        List<ProcInfo> Dotnet(string dll) =>
            procs.Values.Where(p => p.Comm == "dotnet" && p.Cmdline.Contains(dll, StringComparison.Ordinal)
                                    && EnvHas(p.Pid, $"NOVA_DATA={data}")).ToList();

        var pgRoots = procs.Values.Where(p => p.Comm == "postgres" && p.Cmdline.Contains(inFolder, StringComparison.Ordinal)).ToList();
        var rmqRoots = procs.Values.Where(p =>
            (p.Comm == "beam.smp" && p.Cmdline.Contains(inFolder, StringComparison.Ordinal))
            || (p.Comm == "epmd" && (p.Cmdline.Contains(inFolder, StringComparison.Ordinal)
                                     || EnvHas(p.Pid, $"NOVA_DATA={data}") || EnvHas(p.Pid, $"HOME={data}/rmq")))).ToList();

        var children = procs.Values.ToLookup(p => p.PPid);
        List<ProcInfo> WithDescendants(IEnumerable<ProcInfo> roots)
        {
            var seen = new HashSet<int>();
            var result = new List<ProcInfo>();
            var stack = new Stack<ProcInfo>(roots);
            while (stack.Count > 0)
            {
                var p = stack.Pop();
                if (!seen.Add(p.Pid)) continue;
                result.Add(p);
                foreach (var c in children[p.Pid]) stack.Push(c);
            }
            return result;
        }

        // re-read with memory figures only for the processes that matter
        List<ProcInfo> Detail(IEnumerable<ProcInfo> list) => list.Select(p => Read(p.Pid, withMemory: true) ?? p).ToList();
        return new StackProcs(
            Detail(Dotnet("Nova.Api.dll")),
            Detail(Dotnet("Nova.ComputeWorker.dll")),
            Detail(WithDescendants(pgRoots)),
            Detail(WithDescendants(rmqRoots)));
    }

    private static ProcInfo? Read(int pid, bool withMemory)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            var comm = stat[(open + 1)..close];
            // fields after "(comm)": [0]=state(3) [1]=ppid(4) … [11]=utime(14) [12]=stime(15) [13]=cutime(16) [14]=cstime(17)
            var f = stat[(close + 2)..].Split(' ');
            long L(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            long rss = 0, pss = 0;
            if (withMemory)
            {
                rss = KbField($"/proc/{pid}/status", "VmRSS:");
                pss = KbField($"/proc/{pid}/smaps_rollup", "Pss:");
            }
            return new ProcInfo(pid, (int)L(1), comm, cmdline, L(11) + L(12), L(13) + L(14), rss, pss);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null; // gone meanwhile, or a kernel thread
        }
    }

    private static long KbField(string file, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
                if (line.StartsWith(key, StringComparison.Ordinal))
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return 0;
    }

    /// <summary>Busy and total jiffies of the whole machine (first line of /proc/stat).</summary>
    public static (long Busy, long Total) MachineTicks()
    {
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Take(8).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        var total = f.Sum();
        return (total - f[3] - f[4], total); // idle, iowait
    }
}
