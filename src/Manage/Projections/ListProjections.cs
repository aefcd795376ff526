using Nova.Projections.Progress;
using Nova.Projections.Rebuilding;

namespace Nova.Manage.Projections;

/// <summary><c>projections list</c>: every projection and subscription with its position and lag behind the store.</summary>
public sealed class ListProjections : IManageCommand
{
    public IReadOnlyList<string> Words => ["projections", "list"];
    public string Arguments => "";
    public string Description => "positions and lag of every projection and subscription";

    public async Task<int> Run(IReadOnlyList<string> args, ManageContext context, CancellationToken ct)
    {
        if (args.Count > 0) throw new UsageException($"projections list takes no arguments (got '{string.Join(' ', args)}')");
        await using var store = DaemonlessStore.For(context.ConnectionString);
        var positions = await ProjectionPositions.Read(store, ct);
        var o = context.Out;
        await o.WriteLineAsync($"event store: highest sequence {positions.HighestSequence}, daemon high-water mark {positions.HighWaterMark}");
        await o.WriteLineAsync();
        await o.WriteLineAsync($"{"NAME",-26} {"KIND",-13} {"POSITION",10} {"LAG",8} {"AGE",9}  LAST UPDATED");
        foreach (var p in positions.Projections)
        {
            var line = p.Position is { } position
                ? $"{p.Name,-26} {p.Kind,-13} {position,10} {p.LagEvents,8} {p.LagAge.TotalSeconds,8:0.0}s  {p.LastUpdated?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'") ?? "-"}"
                : $"{p.Name,-26} {p.Kind,-13} {"-",10} {"-",8} {"-",9}  written in the same transaction as its events";
            await o.WriteLineAsync(line);
        }
        return NovaManage.Ok;
    }
}
