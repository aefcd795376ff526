using Nova.Projections.Rebuilding;

namespace Nova.Manage;

/// <summary>A rebuild's progress: a redrawn bar with rate and ETA on a terminal, a plain line every few seconds otherwise.</summary>
public sealed class ProgressDisplay(ManageContext context)
{
    private static readonly TimeSpan BarEvery = TimeSpan.FromMilliseconds(200), LineEvery = TimeSpan.FromSeconds(2);
    private TimeSpan? last;
    private bool drawn;

    public void Report(RebuildProgress p)
    {
        var final = p.EventsDone >= p.EventsTotal;
        if (!final && last is { } shown && p.Elapsed - shown < (context.Terminal ? BarEvery : LineEvery)) return;
        last = p.Elapsed;
        var rate = p.Elapsed.TotalSeconds > 0 ? p.EventsDone / p.Elapsed.TotalSeconds : 0;
        var share = p.EventsTotal > 0 ? Math.Min(1.0, (double)p.EventsDone / p.EventsTotal) : 1.0;
        var eta = rate > 0 ? TimeSpan.FromSeconds((p.EventsTotal - p.EventsDone) / rate) : TimeSpan.Zero;
        var numbers = $"{p.EventsDone:N0}/{p.EventsTotal:N0} events  {rate:N0} events/s  {p.DocumentsBuilt:N0} documents";
        if (context.Terminal)
        {
            const int width = 30;
            var filled = (int)Math.Round(share * width);
            context.Out.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {share * 100,3:0}%  {numbers}  ETA {eta:mm\\:ss} ");
            drawn = true;
        }
        else
        {
            context.Out.WriteLine($"progress: {share * 100:0}%  {numbers}  elapsed {p.Elapsed.TotalSeconds:N1} s");
        }
    }

    public void Finish()
    {
        if (drawn) context.Out.WriteLine();
        drawn = false;
    }
}
