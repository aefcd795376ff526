using System.Net;
using System.Text.RegularExpressions;
using Nova.Api.Tests.Infrastructure;
using Nova.Libvirt;

namespace Nova.Api.Tests.Libvirt;

/// <summary>
/// resize, revertResize and confirmResize of the real Linux guest on qemu:///system, with allow_resize_to_same_host:
/// the guest boots again with the new flavor's memory and disk (its console says so), the old guest waits in
/// <c>&lt;uuid&gt;_resize/</c> until a revert brings it back or a confirm removes it, and the transfer image goes.
/// </summary>
/// <remarks>
/// Only the same-host path can be tested against libvirt here: two compute hosts on this one libvirtd would need two
/// domains with the server's UUID (source and target) at once, which libvirt refuses. Cross-host resize is covered on
/// the fake driver (tests/Api.Tests/Resizing/ResizeTests.cs).
/// </remarks>
public sealed class LibvirtResizeTests : IAsyncLifetime
{
    private static readonly string Host = "lvz-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string instances = Path.Combine(Path.GetTempPath(), "nova-instances-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ControlPlaneStack stack;

    // The resize powers the guest off through ACPI, which the Linux guest obeys within a few seconds.
    public LibvirtResizeTests() => stack = LibvirtHost.Stack(Host, instances, shutdownTimeoutSeconds: 60,
        settings: new Dictionary<string, string?> { ["Nova:Scheduler:AllowResizeToSameHost"] = "true" });

    public Task InitializeAsync() => stack.InitializeAsync();

    public async Task DisposeAsync()
    {
        await stack.DisposeAsync();
        if (Directory.Exists(instances)) Directory.Delete(instances, recursive: true);
    }

    private const long GiB = 1L << 30;

    [Fact]
    public async Task A_resize_boots_the_guest_with_the_new_flavor_a_revert_brings_the_old_guest_back_and_a_confirm_keeps_the_new_one()
    {
        var admin = stack.Client("admin:admin", "2.37");
        // Small memory keeps TCG's boots short; the bigger flavor differs in memory and disk.
        var small = await Flavor(admin, "lvz-small", ramMb: 128, diskGb: 1);
        var big = await Flavor(admin, "lvz-big", ramMb: 256, diskGb: 2);
        var image = await LinuxGuest.Upload(admin);
        var id = await admin.CreateServer("lvz-guest", flavor: small, image: image);
        await admin.WaitForStatus(id, "ACTIVE", seconds: 90);
        var first = GuestLine(await FreshBoot(admin, id));
        Assert.Contains($"vda {1 * GiB} bytes", first);
        var smallMemory = MemoryOf(first);
        Assert.Equal(128UL * 1024, DomainMemoryKiB(id));

        // Resize: the guest boots again from its own disk with 256 MiB and a 2 GiB root disk.
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new { resize = new { flavorRef = big } }));
        var resized = await admin.WaitForStatus(id, "VERIFY_RESIZE", seconds: 240);
        Assert.Equal(big, resized["flavor"]!["id"]!.GetValue<string>());
        var grown = GuestLine(await FreshBoot(admin, id));
        Assert.Contains($"vda {2 * GiB} bytes", grown);
        Assert.True(MemoryOf(grown) > smallMemory, $"the guest saw {MemoryOf(grown)} MiB after the resize, {smallMemory} MiB before");
        Assert.Equal(256UL * 1024, DomainMemoryKiB(id));
        Assert.Equal(DomainState.Running, LibvirtHost.DomainStateOf(id));
        Assert.True(File.Exists(Path.Combine(Kept(id), "resize.xml")), "the old guest is kept aside for a revert");
        var revertedTransfer = await TransferImageOf(admin, "lvz-guest");

        // Revert: the old guest, with its old definition, boots again with 128 MiB and its 1 GiB disk.
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new { revertResize = (object?)null }));
        var reverted = await admin.WaitForStatus(id, "ACTIVE", seconds: 240);
        Assert.Equal(small, reverted["flavor"]!["id"]!.GetValue<string>());
        Assert.Equal(128UL * 1024, DomainMemoryKiB(id));
        var back = GuestLine(await FreshBoot(admin, id));
        Assert.Contains($"vda {1 * GiB} bytes", back);
        Assert.Equal(smallMemory, MemoryOf(back));
        Assert.Equal(DomainState.Running, LibvirtHost.DomainStateOf(id));
        Assert.False(Directory.Exists(Kept(id)), "the revert put the kept folder back");
        Assert.False(File.Exists(Path.Combine(instances, id, "resize.xml")));
        await Eventually.True(async () => (await admin.Get($"/image/v2/images/{revertedTransfer}")).Status == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(30), "the reverted resize's transfer image deleted");

        // Resize again and confirm: the new guest stays, the old one and the transfer image go.
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new { resize = new { flavorRef = big } }));
        await admin.WaitForStatus(id, "VERIFY_RESIZE", seconds: 240);
        Assert.Contains($"vda {2 * GiB} bytes", GuestLine(await FreshBoot(admin, id)));
        var confirmedTransfer = await TransferImageOf(admin, "lvz-guest");
        Assert.NotEqual(revertedTransfer, confirmedTransfer);
        Assert.Equal(HttpStatusCode.NoContent, await admin.Act(id, new { confirmResize = (object?)null }));
        var confirmed = await admin.WaitForStatus(id, "ACTIVE", seconds: 60);
        Assert.Equal(big, confirmed["flavor"]!["id"]!.GetValue<string>());
        await Eventually.True(() => Task.FromResult(!Directory.Exists(Kept(id))), TimeSpan.FromSeconds(30), "the old guest's folder removed");
        Assert.Equal(256UL * 1024, DomainMemoryKiB(id));
        Assert.Equal(DomainState.Running, LibvirtHost.DomainStateOf(id));
        await Eventually.True(async () => (await admin.Get($"/image/v2/images/{confirmedTransfer}")).Status == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(30), "the confirmed resize's transfer image deleted");
        var (_, list) = await admin.Get("/image/v2/images");
        Assert.DoesNotContain(list!["images"]!.AsArray(), i => i!["name"]!.GetValue<string>().StartsWith("lvz-guest-migration-", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await admin.WaitUntilGone(id, seconds: 60);
        Assert.False(LibvirtHost.DomainExists(id));
    }

    [Fact]
    public async Task A_stopped_server_resized_stays_shut_off_with_the_new_flavor_defined_and_boots_with_it_when_started()
    {
        var admin = stack.Client("admin:admin", "2.37");
        var small = await Flavor(admin, "lvz-small", ramMb: 128, diskGb: 1);
        var big = await Flavor(admin, "lvz-big", ramMb: 256, diskGb: 2);
        var image = await LinuxGuest.Upload(admin);
        var id = await admin.CreateServer("lvz-stopped", flavor: small, image: image);
        await admin.WaitForStatus(id, "ACTIVE", seconds: 90);
        await LinuxGuest.WaitForConsole(admin, id, LinuxGuest.LoginPrompt);
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new Dictionary<string, object?> { ["os-stop"] = null }));
        await admin.WaitForStatus(id, "SHUTOFF", seconds: 120);

        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new { resize = new { flavorRef = big } }));
        var resized = await admin.WaitForStatus(id, "VERIFY_RESIZE", seconds: 240);
        Assert.Equal(4, resized["OS-EXT-STS:power_state"]!.GetValue<int>());
        Assert.Equal(DomainState.Shutoff, LibvirtHost.DomainStateOf(id));
        Assert.Equal(256UL * 1024, DomainMemoryKiB(id));

        Assert.Equal(HttpStatusCode.NoContent, await admin.Act(id, new { confirmResize = (object?)null }));
        var confirmed = await admin.WaitForStatus(id, "SHUTOFF", seconds: 60);
        Assert.Equal(big, confirmed["flavor"]!["id"]!.GetValue<string>());
        Assert.Equal(DomainState.Shutoff, LibvirtHost.DomainStateOf(id));
        await Eventually.True(() => Task.FromResult(!Directory.Exists(Kept(id))), TimeSpan.FromSeconds(30), "the old guest's folder removed");

        // Started, it boots with what the resize gave it.
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new Dictionary<string, object?> { ["os-start"] = null }));
        await admin.WaitForStatus(id, "ACTIVE", seconds: 60);
        Assert.Contains($"vda {2 * GiB} bytes", GuestLine(await FreshBoot(admin, id)));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await admin.WaitUntilGone(id, seconds: 60);
    }

    private string Kept(string id) => Path.Combine(instances, id + "_resize");

    private static async Task<string> Flavor(HttpClient admin, string name, int ramMb, int diskGb)
    {
        var (status, body) = await admin.Send(HttpMethod.Post, "/v2.1/flavors",
            new { flavor = new { name = name + "-" + Guid.NewGuid().ToString("N")[..6], ram = ramMb, vcpus = 1, disk = diskGb } });
        Assert.True(status == HttpStatusCode.OK, $"flavor {name}: {status} {body?.ToJsonString()}");
        return body!["flavor"]!["id"]!.GetValue<string>();
    }

    /// <summary>The transfer image of the server's migration under way, as an admin lists it.</summary>
    private static async Task<string> TransferImageOf(HttpClient admin, string serverName)
    {
        var (_, list) = await admin.Get("/image/v2/images");
        var transfer = Assert.Single(list!["images"]!.AsArray(),
            i => i!["name"]!.GetValue<string>().StartsWith(serverName + "-migration-", StringComparison.Ordinal))!;
        return transfer["id"]!.GetValue<string>();
    }

    /// <summary>
    /// The console of the guest's latest boot: waits for a login prompt after the last power-down (QEMU may also have
    /// started the log afresh), and returns what follows the last kernel banner.
    /// </summary>
    private static async Task<string> FreshBoot(HttpClient admin, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (true)
        {
            var console = await LinuxGuest.Console(admin, id);
            var prompt = console.LastIndexOf(LinuxGuest.LoginPrompt, StringComparison.Ordinal);
            if (prompt > console.LastIndexOf(LinuxGuest.PowerDown, StringComparison.Ordinal)
                && console.LastIndexOf(LinuxGuest.KernelBanner, StringComparison.Ordinal) is var banner and >= 0 && banner < prompt)
                return console[banner..];
            Assert.True(DateTime.UtcNow < deadline, $"no fresh boot reached a login prompt; the console holds:\n{console}");
            await Task.Delay(500);
        }
    }

    /// <summary>The init script's line with vCPUs, memory and root disk size.</summary>
    private static string GuestLine(string boot) =>
        Regex.Match(boot, @"nova-guest: Linux \S+, \d+ vCPU, \d+ MiB, vda [^\r\n]*") is { Success: true } m
            ? m.Value
            : throw new Xunit.Sdk.XunitException($"no nova-guest line in:\n{boot}");

    private static int MemoryOf(string guestLine) => int.Parse(Regex.Match(guestLine, @"(\d+) MiB").Groups[1].Value);

    private static ulong DomainMemoryKiB(string id)
    {
        using var connection = LibvirtConnection.Open("qemu:///system", readOnly: true);
        using var domain = connection.LookupByUuid(Guid.Parse(id));
        return domain.GetInfo().MaxMemoryKiB;
    }
}
