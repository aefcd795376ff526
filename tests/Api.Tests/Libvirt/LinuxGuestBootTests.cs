using System.Net;
using Nova.Api.Tests.Infrastructure;
using Nova.Libvirt;

namespace Nova.Api.Tests.Libvirt;

/// <summary>
/// A real Linux guest (scripts/guest-image.sh) on qemu:///system through the API: its kernel's boot messages and its
/// login prompt reach os-getConsoleOutput, a guest that powers itself off is found SHUTOFF by the power-state sync,
/// and a stop reaches it as the ACPI power button and it powers off cleanly, as in Nova.
/// </summary>
public sealed class LinuxGuestBootTests : IAsyncLifetime
{
    private static readonly string Host = "lvg-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string instances = Path.Combine(Path.GetTempPath(), "nova-instances-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ControlPlaneStack stack;

    // Power states every 2 s, so a guest's own poweroff is seen soon; a stop waits long enough for the guest to obey.
    public LinuxGuestBootTests() =>
        stack = LibvirtHost.Stack(Host, instances, powerSyncIntervalSeconds: 2, shutdownTimeoutSeconds: 90);

    public Task InitializeAsync() => stack.InitializeAsync();

    public async Task DisposeAsync()
    {
        await stack.DisposeAsync();
        if (Directory.Exists(instances)) Directory.Delete(instances, recursive: true);
    }

    [Fact]
    public async Task The_guest_boots_to_a_login_prompt_on_its_console_and_its_own_poweroff_makes_the_server_SHUTOFF()
    {
        const int poweroffAfter = 20;
        var admin = stack.Client("admin:admin", "2.37");
        var image = await LinuxGuest.Upload(admin, poweroffAfterSeconds: poweroffAfter);
        var id = await admin.CreateServer("linux-guest", image: image);
        await admin.WaitForStatus(id, "ACTIVE", seconds: 90);

        var console = await LinuxGuest.WaitForConsole(admin, id, LinuxGuest.LoginPrompt);
        Assert.Contains(LinuxGuest.KernelBanner, console);
        Assert.Contains(LinuxGuest.IssueBanner, console);
        Assert.Contains($"nova-guest: powering off in {poweroffAfter} s", console);
        // m1.tiny's 1 GiB root disk, grown from the 32 MiB image, is what the guest sees.
        Assert.Contains($"vda {1L << 30} bytes", console);
        Assert.Equal("ACTIVE", (await admin.Server(id))["status"]!.GetValue<string>());

        // Nobody asks for a stop: the guest's poweroff is found by the host's power-state sync.
        var off = await admin.WaitForStatus(id, "SHUTOFF", seconds: poweroffAfter + 90);
        Assert.Equal(4, off["OS-EXT-STS:power_state"]!.GetValue<int>());
        Assert.Equal(DomainState.Shutoff, LibvirtHost.DomainStateOf(id));
        var last = await LinuxGuest.Console(admin, id);
        Assert.Contains("nova-guest: poweroff", last);
        Assert.Contains(LinuxGuest.PowerDown, last);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await admin.WaitUntilGone(id, seconds: 60);
    }

    [Fact]
    public async Task The_script_registers_linux_guest_once_a_rerun_keeps_it_and_a_stale_image_of_that_name_goes()
    {
        var admin = stack.Client("admin:admin", "2.37");
        // An image of the same name that is not this build (a failed upload left it queued).
        var (created, stale) = await admin.Send(HttpMethod.Post, "/image/v2/images",
            new { name = "linux-guest", disk_format = "qcow2", container_format = "bare" });
        Assert.Equal(HttpStatusCode.Created, created);

        var first = await LinuxGuest.Register(stack.BaseAddress, "admin:admin");
        var again = await LinuxGuest.Register(stack.BaseAddress, "admin:admin");

        Assert.Equal(first, again);
        var (_, list) = await admin.Get("/image/v2/images?name=linux-guest");
        var image = Assert.Single(list!["images"]!.AsArray())!;
        Assert.Equal(first, image["id"]!.GetValue<string>());
        Assert.NotEqual(stale!["id"]!.GetValue<string>(), first);
        Assert.Equal("active", image["status"]!.GetValue<string>());
        Assert.Equal("public", image["visibility"]!.GetValue<string>());
        Assert.Equal(new FileInfo(await LinuxGuest.Disk()).Length, image["size"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_stop_reaches_the_guest_as_the_power_button_it_powers_off_cleanly_and_a_start_boots_it_again()
    {
        var admin = stack.Client("admin:admin", "2.37");
        var image = await LinuxGuest.Upload(admin);
        var id = await admin.CreateServer("linux-guest", image: image);
        await admin.WaitForStatus(id, "ACTIVE", seconds: 90);
        await LinuxGuest.WaitForConsole(admin, id, LinuxGuest.LoginPrompt);

        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new Dictionary<string, object?> { ["os-stop"] = null }));
        await admin.WaitForStatus(id, "SHUTOFF", seconds: 120);
        Assert.Equal(DomainState.Shutoff, LibvirtHost.DomainStateOf(id));
        // The guest shut itself down on the ACPI event: the driver did not have to destroy it.
        var stopped = await LinuxGuest.Console(admin, id);
        Assert.Contains(LinuxGuest.PowerButton, stopped);
        Assert.Contains(LinuxGuest.PowerDown, stopped);

        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new Dictionary<string, object?> { ["os-start"] = null }));
        await admin.WaitForStatus(id, "ACTIVE", seconds: 60);
        // A new boot: a login prompt after the last power-down (QEMU may have started the log afresh).
        var deadline = DateTime.UtcNow.AddSeconds(120);
        string again;
        while (true)
        {
            again = await LinuxGuest.Console(admin, id);
            if (again.LastIndexOf(LinuxGuest.LoginPrompt, StringComparison.Ordinal) > again.LastIndexOf(LinuxGuest.PowerDown, StringComparison.Ordinal)) break;
            Assert.True(DateTime.UtcNow < deadline, $"no login prompt after the start; the console holds:\n{again}");
            await Task.Delay(500);
        }
        Assert.Contains(LinuxGuest.KernelBanner, again);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await admin.WaitUntilGone(id, seconds: 60);
        Assert.False(LibvirtHost.DomainExists(id));
    }
}
