using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Libvirt;

/// <summary>
/// The real Linux guest of <c>scripts/guest-image.sh</c> (Debian's cloud kernel, a busybox initramfs, syslinux on one
/// qcow2 disk) for libvirt tests that need a guest that boots, talks on its console and answers ACPI.
/// </summary>
/// <remarks>
/// The script builds each disk at most once per test run (a lazy per variant) and caches it across runs in
/// <c>.data/guest/</c> (<c>NOVA_GUEST_DIR</c>), so only the first run on a machine downloads and builds; each stack then
/// uploads it into its own image registry with <see cref="Upload"/>. What the guest writes on its serial console is
/// in the constants below (scripts/guest/rcS and issue).
/// </remarks>
public static class LinuxGuest
{
    /// <summary>The kernel's first line: its boot messages reach the console.</summary>
    public const string KernelBanner = "Linux version ";
    /// <summary>The init script's last line, after the modules are loaded and the power button is watched.</summary>
    public const string Ready = "nova-guest: ready";
    /// <summary>getty on ttyS0, after /etc/issue's banner.</summary>
    public const string LoginPrompt = "nova-guest login:";
    public const string IssueBanner = "nova-es Linux guest";
    /// <summary>acpid's action for the power button (libvirt's graceful shutdown).</summary>
    public const string PowerButton = "nova-guest: ACPI power button";
    /// <summary>The kernel's last line when the guest powers off.</summary>
    public const string PowerDown = "reboot: Power down";

    private static readonly ConcurrentDictionary<int, Lazy<Task<string>>> Disks = new();

    /// <summary>
    /// The path of the guest's qcow2: <c>linux-guest.qcow2</c>, or with <paramref name="poweroffAfterSeconds"/> the
    /// variant whose kernel command line carries <c>nova_guest.poweroff_after=N</c> (it powers itself off N seconds
    /// after its start-up).
    /// </summary>
    public static Task<string> Disk(int? poweroffAfterSeconds = null) =>
        Disks.GetOrAdd(poweroffAfterSeconds ?? -1, _ => new Lazy<Task<string>>(() => Build(poweroffAfterSeconds))).Value;

    /// <summary>Uploads the guest (public, bound to its sha256) and returns the image's id.</summary>
    public static async Task<string> Upload(HttpClient admin, int? poweroffAfterSeconds = null)
    {
        var disk = await Disk(poweroffAfterSeconds);
        string sha256;
        await using (var file = File.OpenRead(disk)) sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
        var name = poweroffAfterSeconds is { } n ? $"linux-guest-poweroff-{n}" : "linux-guest";
        var (created, body) = await admin.Send(HttpMethod.Post, "/image/v2/images", new
        {
            name, disk_format = "qcow2", container_format = "bare", visibility = "public", os_hash_value = sha256,
        });
        Assert.Equal(HttpStatusCode.Created, created);
        var id = body!["id"]!.GetValue<string>();
        using var content = new StreamContent(File.OpenRead(disk));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var upload = await admin.PutAsync($"/image/v2/images/{id}/file", content);
        Assert.Equal(HttpStatusCode.NoContent, upload.StatusCode);
        return id;
    }

    /// <summary>os-getConsoleOutput, whole.</summary>
    public static async Task<string> Console(HttpClient client, string id)
    {
        var (status, body) = await client.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action",
            new Dictionary<string, object?> { ["os-getConsoleOutput"] = new { } });
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["output"]!.GetValue<string>();
    }

    /// <summary>Polls the console until it holds <paramref name="text"/>; returns the whole output then.</summary>
    public static async Task<string> WaitForConsole(HttpClient client, string id, string text, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var output = await Console(client, id);
            if (output.Contains(text, StringComparison.Ordinal)) return output;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"'{text}' did not reach the console of {id} within {seconds} s; it holds:\n{output}");
            // Each read is a round trip to the host: no need to hurry a booting guest.
            await Task.Delay(500);
        }
    }

    /// <summary>
    /// Runs <c>scripts/guest-image.sh</c> as an operator would against the control plane at <paramref name="api"/>
    /// (build if needed, register); returns the image id it printed.
    /// </summary>
    public static Task<string> Register(Uri api, string token, params string[] arguments) =>
        Script(arguments, new Dictionary<string, string> { ["NOVA_API_URL"] = api.ToString().TrimEnd('/'), ["NOVA_TOKEN"] = token });

    private static Task<string> Build(int? poweroffAfterSeconds) => Script(
        poweroffAfterSeconds is { } n ? ["--build-only", "--poweroff-after", n.ToString()] : ["--build-only"],
        new Dictionary<string, string>());

    /// <summary>The script's last line of output: the disk's path with --build-only, else the image's id.</summary>
    private static async Task<string> Script(IEnumerable<string> arguments, Dictionary<string, string> environment)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Nova.sln"))) root = Path.GetDirectoryName(root)!;
        var start = new ProcessStartInfo("bash") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("scripts/guest-image.sh");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"scripts/guest-image.sh failed ({process.ExitCode}): {await errors}");
        var last = (await output).Trim().Split('\n')[^1];
        if (arguments.Contains("--build-only"))
            Assert.True(File.Exists(last), $"scripts/guest-image.sh named {last}, which does not exist");
        return last;
    }
}
