using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Nova.Api.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL of one test's own (initdb, pg_ctl as the postgres user, as scripts/services.sh runs it), on its own
/// port and data folder, so the test can stop and start it without disturbing the shared one other tests use.
/// </summary>
public sealed class DedicatedPostgres : IAsyncDisposable
{
    private static readonly string Bin = Directory.GetDirectories("/usr/lib/postgresql").Order().Last() + "/bin";
    private readonly string folder;
    private readonly int port;

    private DedicatedPostgres(string folder, int port) => (this.folder, this.port) = (folder, port);

    /// <summary>Without a database name, as <see cref="TestServices"/> gives it: the stack creates its own.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={port};Username=postgres;Maximum Pool Size=30";

    public static async Task<DedicatedPostgres> Start()
    {
        var root = Environment.GetEnvironmentVariable("NOVA_TEST_DATA") ?? Path.GetTempPath();
        var pg = new DedicatedPostgres(Path.Combine(root, "pg-" + Guid.NewGuid().ToString("N")[..8]), FreePort());
        Directory.CreateDirectory(Path.Combine(pg.folder, "sock"));
        await Run("chown", "-R", "postgres:postgres", pg.folder);
        await AsPostgres("initdb", "-D", pg.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
        await pg.StartAgain();
        return pg;
    }

    private string Data => Path.Combine(folder, "data");

    public Task StartAgain() => AsPostgres("pg_ctl", "-D", Data, "-l", Path.Combine(folder, "pg.log"), "-w", "start", "-o",
        $"-p {port} -k {Path.Combine(folder, "sock")} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100");

    /// <summary>Stops it as an outage would look to clients: open connections are cut (fast shutdown).</summary>
    public Task Stop() => AsPostgres("pg_ctl", "-D", Data, "-m", "fast", "-w", "stop");

    public async ValueTask DisposeAsync()
    {
        try { await Stop(); } catch (InvalidOperationException) { /* already stopped */ }
        Directory.Delete(folder, recursive: true);
    }

    private static Task AsPostgres(string program, params string[] args) =>
        Run("runuser", ["-u", "postgres", "--", Path.Combine(Bin, program), .. args]);

    private static async Task Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
