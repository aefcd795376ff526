using System.Net;
using Nova.Api.Tests.Infrastructure;
using Nova.Libvirt;

namespace Nova.Api.Tests.Libvirt;

/// <summary>
/// The whole path on the real hypervisor: an uploaded qcow2, a QEMU guest on qemu:///system built
/// through the API, stopped, started, rebooted and deleted, leaving no domain and no instance folder.
/// scripts/test.sh starts libvirtd for this.
/// </summary>
public sealed class LibvirtBootTests : IAsyncLifetime
{
    private static readonly string Host = "lv-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string instances = Path.Combine(Path.GetTempPath(), "nova-instances-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ControlPlaneStack stack;

    public LibvirtBootTests() => stack = LibvirtHost.Stack(Host, instances);

    public Task InitializeAsync() => stack.InitializeAsync();

    public async Task DisposeAsync()
    {
        await stack.DisposeAsync();
        if (Directory.Exists(instances)) Directory.Delete(instances, recursive: true);
    }

    [Fact]
    public async Task A_QEMU_guest_boots_from_an_uploaded_image_and_goes_through_its_lifecycle_without_leaks()
    {
        var admin = stack.Client("admin:admin", "2.37");
        var image = await LibvirtHost.Upload(admin);

        var id = await admin.CreateServer("qemu-guest", image: image);
        var active = await admin.WaitForStatus(id, "ACTIVE", seconds: 90);
        Assert.Equal(Host, active["OS-EXT-SRV-ATTR:host"]!.GetValue<string>());
        Assert.Equal(DomainState.Running, LibvirtHost.DomainStateOf(id));
        Assert.True(File.Exists(Path.Combine(instances, id, "disk")));

        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new Dictionary<string, object?> { ["os-stop"] = null }));
        await admin.WaitForStatus(id, "SHUTOFF", seconds: 60);
        Assert.Equal(DomainState.Shutoff, LibvirtHost.DomainStateOf(id));

        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new Dictionary<string, object?> { ["os-start"] = null }));
        await admin.WaitForStatus(id, "ACTIVE", seconds: 60);
        Assert.Equal(DomainState.Running, LibvirtHost.DomainStateOf(id));

        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new { reboot = new { type = "HARD" } }));
        await admin.WaitForStatus(id, "ACTIVE", seconds: 60);
        Assert.Equal(DomainState.Running, LibvirtHost.DomainStateOf(id));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await admin.WaitUntilGone(id, seconds: 60);
        await Eventually.True(() => Task.FromResult(!Directory.Exists(Path.Combine(instances, id))), TimeSpan.FromSeconds(30), "instance folder removed");
        using var connection = LibvirtConnection.Open("qemu:///system", readOnly: true);
        Assert.Throws<LibvirtNoSuchDomainException>(() => connection.LookupByUuid(Guid.Parse(id)));
        Assert.Empty((await stack.ComputeHost(Host)).Claims);
    }
}
