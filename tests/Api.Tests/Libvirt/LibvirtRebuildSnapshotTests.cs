using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;
using Nova.Libvirt;

namespace Nova.Api.Tests.Libvirt;

/// <summary>
/// createImage of the running Linux guest, a server booted from that snapshot to its login prompt, and rebuild replacing
/// the disk.
/// </summary>
public sealed class LibvirtRebuildSnapshotTests : IAsyncLifetime
{
    private static readonly string Host = "lvr-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string instances = Path.Combine(Path.GetTempPath(), "nova-instances-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ControlPlaneStack stack;

    public LibvirtRebuildSnapshotTests() => stack = LibvirtHost.Stack(Host, instances);

    public Task InitializeAsync() => stack.InitializeAsync();

    public async Task DisposeAsync()
    {
        await stack.DisposeAsync();
        if (Directory.Exists(instances)) Directory.Delete(instances, recursive: true);
    }

    [Fact]
    public async Task A_snapshot_of_a_running_guest_boots_to_its_login_prompt_and_rebuild_puts_the_disk_on_the_new_images_base()
    {
        var admin = stack.Client("admin:admin", "2.45");
        // The Linux guest twice (two images, one disk): the rebuilt server must boot from the second one's base.
        var first = await LinuxGuest.Upload(admin);
        var second = await LinuxGuest.Upload(admin);
        var id = await admin.CreateServer("qemu-origin", image: first);
        await admin.WaitForStatus(id, "ACTIVE", seconds: 90);
        await LinuxGuest.WaitForConsole(admin, id, LinuxGuest.LoginPrompt);

        var (status, body) = await admin.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action", new { createImage = new { name = "qemu-snap" } });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var snapshot = body!["image_id"]!.GetValue<string>();
        await admin.WaitForStatus(id, "ACTIVE", seconds: 120);
        Assert.Equal(DomainState.Running, LibvirtHost.DomainStateOf(id));
        var (_, stored) = await admin.Get($"/image/v2/images/{snapshot}");
        Assert.Equal(("active", "qcow2", "snapshot"),
            (stored!["status"]!.GetValue<string>(), stored["disk_format"]!.GetValue<string>(), stored["image_type"]!.GetValue<string>()));

        // The snapshot is a whole bootable disk: a server booted from it reaches the guest's login prompt, with
        // m1.tiny's 1 GiB root disk.
        var fromSnapshot = await admin.CreateServer("qemu-from-snap", image: snapshot);
        await admin.WaitForStatus(fromSnapshot, "ACTIVE", seconds: 120);
        Assert.Equal(DomainState.Running, LibvirtHost.DomainStateOf(fromSnapshot));
        Assert.Equal(BaseOf(snapshot), await BackingFileOf(fromSnapshot));
        var booted = await LinuxGuest.WaitForConsole(admin, fromSnapshot, LinuxGuest.LoginPrompt, seconds: 180);
        Assert.Contains(LinuxGuest.KernelBanner, booted);
        Assert.Contains($"vda {1L << 30} bytes", booted);

        Assert.Equal(BaseOf(first), await BackingFileOf(id));
        var beforeRebuild = await LinuxGuest.Console(admin, id);
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new { rebuild = new { imageRef = second } }));
        var rebuilt = await admin.WaitForStatus(id, "ACTIVE", seconds: 120);
        Assert.Equal(second, rebuilt["image"]!["id"]!.GetValue<string>());
        Assert.Equal(DomainState.Running, LibvirtHost.DomainStateOf(id));
        Assert.Equal(BaseOf(second), await BackingFileOf(id));
        Assert.False(File.Exists(Path.Combine(instances, id, "disk.rebuild")));
        // The rebuilt guest boots afresh from its new disk: a new boot's log (its kernel's timestamps differ) with a
        // login prompt.
        await Eventually.True(async () => await LinuxGuest.Console(admin, id) is var now
                && now != beforeRebuild && now.LastIndexOf(LinuxGuest.LoginPrompt, StringComparison.Ordinal) > now.LastIndexOf(LinuxGuest.KernelBanner, StringComparison.Ordinal)
                && now.Contains(LinuxGuest.KernelBanner, StringComparison.Ordinal),
            TimeSpan.FromSeconds(180), "the rebuilt guest's login prompt");

        foreach (var server in new[] { id, fromSnapshot })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await admin.Send(HttpMethod.Delete, $"/v2.1/servers/{server}")).Status);
            await admin.WaitUntilGone(server, seconds: 60);
        }
        await Eventually.True(() => Task.FromResult(!LibvirtHost.DomainExists(id) && !LibvirtHost.DomainExists(fromSnapshot)),
            TimeSpan.FromSeconds(30), "domains gone");
    }

    private string BaseOf(string imageId) =>
        Path.Combine(instances, "_base", Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(imageId))));

    private async Task<string?> BackingFileOf(string serverId)
    {
        using var process = Process.Start(new ProcessStartInfo("qemu-img", $"info -U --output=json {Path.Combine(instances, serverId, "disk")}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        return JsonNode.Parse(output)!["full-backing-filename"]?.GetValue<string>() ?? JsonNode.Parse(output)!["backing-filename"]?.GetValue<string>();
    }
}
