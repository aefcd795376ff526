using Nova.Projections.Rebuilding;

namespace Nova.Manage.Projections;

/// <summary><c>projections rebuild-server ID</c>: replays one server's stream into its read models.</summary>
public sealed class RebuildServer : IManageCommand
{
    public IReadOnlyList<string> Words => ["projections", "rebuild-server"];
    public string Arguments => "ID";
    public string Description => "rebuild one server's view and instance actions from its events";

    public async Task<int> Run(IReadOnlyList<string> args, ManageContext context, CancellationToken ct)
    {
        if (args.Count != 1) throw new UsageException("projections rebuild-server takes one server id");
        if (!Guid.TryParse(args[0], out var id)) throw new UsageException($"'{args[0]}' is not a server id (a UUID)");
        var result = await new ServerReplay(context.ConnectionString).Run(id, ct);
        await context.Out.WriteLineAsync(
            $"rebuilt server {result.ServerId} from {result.Events} events: {string.Join(", ", result.DocumentsWritten)}");
        return NovaManage.Ok;
    }
}
