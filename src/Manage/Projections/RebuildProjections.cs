using Nova.Projections.Rebuilding;

namespace Nova.Manage.Projections;

/// <summary><c>projections rebuild NAME | --all</c>: replays the event store into new tables and switches to them.</summary>
public sealed class RebuildProjections : IManageCommand
{
    public IReadOnlyList<string> Words => ["projections", "rebuild"];
    public string Arguments => "NAME | --all";
    public string Description => "rebuild read models from the events, without downtime";

    public async Task<int> Run(IReadOnlyList<string> args, ManageContext context, CancellationToken ct)
    {
        var names = string.Join(", ", ReplayedProjection.All.Select(p => p.Name));
        if (args.Count != 1) throw new UsageException($"projections rebuild takes one projection name or --all ({names})");
        var projections = args[0] == "--all"
            ? ReplayedProjection.All
            : [ReplayedProjection.Named(args[0]) ?? throw new UsageException($"no projection named '{args[0]}'; rebuildable: {names}")];

        await context.Out.WriteLineAsync($"rebuilding {string.Join(", ", projections.Select(p => p.Name))} (the API keeps serving the current model)");
        var display = new ProgressDisplay(context);
        var summary = await new ReadModelRebuild(context.ConnectionString).Run(projections, display.Report, ct);
        display.Finish();
        await context.Out.WriteLineAsync(
            $"rebuilt {string.Join(", ", summary.Projections)}: {summary.Events:N0} events in {summary.Elapsed.TotalSeconds:N2} s " +
            $"({summary.EventsPerSecond:N0} events/s; the replay itself {summary.ReplayTime.TotalSeconds:N2} s, " +
            $"{summary.ReplayEventsPerSecond:N0} events/s), {summary.DocumentsBuilt:N0} documents built, " +
            $"{summary.CaughtUpEvents:N0} events caught up at the switch, {summary.DocumentsChanged:N0} live documents changed, " +
            $"switch took {summary.SwitchTime.TotalMilliseconds:N0} ms");
        return NovaManage.Ok;
    }
}
