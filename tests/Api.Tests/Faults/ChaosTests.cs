using System.Diagnostics;

namespace Nova.Api.Tests.Faults;

/// <summary>
/// The short kill matrix (<c>scripts/chaos.sh --short</c>): real processes killed with SIGKILL during boots and deletes
/// (the compute worker, the API), restarted, and the invariants checked: no server in a task state, claims and quota
/// exactly those of the live servers, read models equal to a rebuild. The full matrix adds PostgreSQL and RabbitMQ.
/// </summary>
public sealed class ChaosTests
{
    [Fact]
    public async Task Killing_the_worker_or_the_api_mid_burst_leaves_nothing_stuck_leaked_or_diverged()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Nova.sln"))) root = Path.GetDirectoryName(root)!;
        var data = Path.Combine(Path.GetTempPath(), "nova-chaos-" + Guid.NewGuid().ToString("N")[..8]);
        var start = new ProcessStartInfo("bash", ["scripts/chaos.sh", "--short"])
        {
            WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true,
            Environment = { ["NOVA_CHAOS_NO_BUILD"] = "1", ["NOVA_CHAOS_DATA"] = data },
        };
        using var chaos = Process.Start(start)!;
        var output = chaos.StandardOutput.ReadToEndAsync();
        var errors = chaos.StandardError.ReadToEndAsync();
        await chaos.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(15));
        var report = await output + await errors;
        try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }

        Assert.True(chaos.ExitCode == 0, report);
        Assert.Contains("chaos: 3 scenarios, 3 passed, 0 failed", report);
        Assert.Contains("worker boots: ok", report);
        Assert.Contains("api boots: ok", report);
        Assert.Contains("worker deletes: ok", report);
    }
}
