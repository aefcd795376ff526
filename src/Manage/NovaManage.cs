using Nova.Projections.Rebuilding;

namespace Nova.Manage;

/// <summary>What a subcommand gets: where the database is and where to write.</summary>
public sealed record ManageContext(string ConnectionString, TextWriter Out, TextWriter Error, bool Terminal);

/// <summary>
/// One <c>nova-manage</c> subcommand. Adding a subcommand is adding one class that implements this:
/// the dispatcher finds every implementation in this assembly.
/// </summary>
public interface IManageCommand
{
    /// <summary>The words that select it, e.g. <c>["projections", "list"]</c>.</summary>
    IReadOnlyList<string> Words { get; }
    /// <summary>Its arguments after the words, for the usage text, e.g. <c>"NAME | --all"</c>.</summary>
    string Arguments { get; }
    string Description { get; }
    /// <summary>Runs with the arguments that follow the words; returns the exit code.</summary>
    Task<int> Run(IReadOnlyList<string> args, ManageContext context, CancellationToken ct);
}

/// <summary>Operator-facing failure: printed as it is, exit code <see cref="NovaManage.BadRequest"/>.</summary>
public sealed class UsageException(string message) : Exception(message);

public static class NovaManage
{
    public const int Ok = 0, Failed = 1, BadRequest = 2;

    public static readonly IReadOnlyList<IManageCommand> Commands = typeof(NovaManage).Assembly.GetTypes()
        .Where(t => typeof(IManageCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
        .Select(t => (IManageCommand)Activator.CreateInstance(t)!)
        .OrderBy(c => string.Join(' ', c.Words), StringComparer.Ordinal)
        .ToList();

    public static async Task<int> Run(IReadOnlyList<string> args, ManageContext context, CancellationToken ct)
    {
        var command = Commands
            .Where(c => c.Words.Count <= args.Count && c.Words.Select((w, i) => w == args[i]).All(x => x))
            .MaxBy(c => c.Words.Count);
        if (command is null)
        {
            var help = args.Count > 0 && args[0] is "help" or "--help" or "-h";
            if (!help) await context.Error.WriteLineAsync($"nova-manage: unknown command '{string.Join(' ', args)}'");
            await Usage(help ? context.Out : context.Error);
            return help ? Ok : BadRequest;
        }
        try
        {
            return await command.Run(args.Skip(command.Words.Count).ToList(), context, ct);
        }
        catch (Exception e) when (e is UsageException or RebuildRefused)
        {
            await context.Error.WriteLineAsync($"nova-manage: {e.Message}");
            return BadRequest;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("nova-manage: interrupted; the live read models were not changed");
            return Failed;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException)
        {
            await context.Error.WriteLineAsync($"nova-manage: database error: {e.Message}");
            return Failed;
        }

        async Task Usage(TextWriter to)
        {
            await to.WriteLineAsync("usage: nova-manage COMMAND [ARGS]   (database: env ConnectionStrings__Nova)");
            foreach (var c in Commands)
                await to.WriteLineAsync($"  {string.Join(' ', c.Words) + " " + c.Arguments,-44} {c.Description}");
        }
    }
}
