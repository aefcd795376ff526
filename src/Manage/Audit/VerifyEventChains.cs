using System.Diagnostics;
using Nova.Projections.Audit;
using Nova.Projections.Rebuilding;

namespace Nova.Manage.Audit;

/// <summary>
/// <c>audit verify [--server ID]</c>: recomputes every stream's hash chain (or one server's) and names the first
/// event whose stored hash does not match. Exit code 1 when the store was tampered with, so scripts can alert on it.
/// </summary>
public sealed class VerifyEventChains : IManageCommand
{
    public IReadOnlyList<string> Words => ["audit", "verify"];
    public string Arguments => "[--server ID]";
    public string Description => "recompute the hash chains and report the first event that does not match";

    public async Task<int> Run(IReadOnlyList<string> args, ManageContext context, CancellationToken ct)
    {
        Guid? server = args switch
        {
            [] => null,
            ["--server", var id] => Guid.TryParse(id, out var parsed) ? parsed : throw new UsageException($"'{id}' is not a server id (a UUID)"),
            _ => throw new UsageException("audit verify takes no argument, or --server ID"),
        };
        await using var store = DaemonlessStore.For(context.ConnectionString);
        var clock = Stopwatch.StartNew();
        var progress = new CountDisplay(context, "events checked");
        var result = await EventChain.Verify(store, server, progress, ct);
        progress.Finish();

        var scope = server is { } s ? $"server {s}" : "the whole store";
        if (result.FirstBreak is not { } broken)
        {
            await context.Out.WriteLineAsync(
                $"intact: {scope}, {result.StreamsChecked:N0} streams, {result.EventsChecked:N0} events in {clock.Elapsed.TotalSeconds:N1} s");
            return NovaManage.Ok;
        }
        await context.Out.WriteLineAsync($"BROKEN: {scope}: stream {broken.StreamId} version {broken.Version} (sequence {broken.Sequence}): {broken.Reason}");
        if (broken.Expected is not null || broken.Stored is not null)
            await context.Out.WriteLineAsync($"  expected hash {broken.Expected ?? "-"}\n  stored hash   {broken.Stored ?? "-"}");
        await context.Out.WriteLineAsync($"checked {result.StreamsChecked:N0} streams, {result.EventsChecked:N0} events up to the break");
        return NovaManage.Failed;
    }
}

/// <summary>
/// A running count: redrawn on a terminal, a plain line every few seconds otherwise. Reported synchronously
/// (not through <see cref="Progress{T}"/>, which posts to the thread pool and could print after the summary).
/// </summary>
internal sealed class CountDisplay(ManageContext context, string unit) : IProgress<long>
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan? last;
    private bool drawn;

    public void Report(long count)
    {
        if (last is { } shown && clock.Elapsed - shown < (context.Terminal ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(2))) return;
        last = clock.Elapsed;
        var rate = clock.Elapsed.TotalSeconds > 0 ? count / clock.Elapsed.TotalSeconds : 0;
        if (context.Terminal)
        {
            context.Out.Write($"\r{count:N0} {unit}  {rate:N0}/s ");
            drawn = true;
        }
        else context.Out.WriteLine($"progress: {count:N0} {unit}  {rate:N0}/s  elapsed {clock.Elapsed.TotalSeconds:N1} s");
    }

    public void Finish()
    {
        if (drawn) context.Out.WriteLine();
        drawn = false;
    }
}
