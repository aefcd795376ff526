using Nova.Projections.Audit;
using Nova.Projections.Rebuilding;

namespace Nova.Manage.Audit;

/// <summary>
/// <c>audit seal</c>: the upgrade step for a store whose streams began before hash chains existed: chains every
/// stream that has none yet, and never touches one that is already chained (that would hide tampering).
/// </summary>
public sealed class SealEventChains : IManageCommand
{
    public IReadOnlyList<string> Words => ["audit", "seal"];
    public string Arguments => "";
    public string Description => "chain the streams recorded before hash chains existed (upgrade step)";

    public async Task<int> Run(IReadOnlyList<string> args, ManageContext context, CancellationToken ct)
    {
        if (args.Count != 0) throw new UsageException("audit seal takes no arguments");
        await using var store = DaemonlessStore.For(context.ConnectionString);
        var progress = new CountDisplay(context, "streams sealed");
        var sealedStreams = await EventChain.Seal(store, progress, ct);
        progress.Finish();
        await context.Out.WriteLineAsync(sealedStreams == 0
            ? "nothing to seal: every stream is already chained"
            : $"sealed {sealedStreams:N0} streams that had no chain");
        return NovaManage.Ok;
    }
}
