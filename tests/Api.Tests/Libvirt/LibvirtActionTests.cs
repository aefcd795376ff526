using System.Net;
using Nova.Api.Tests.Infrastructure;
using Nova.Libvirt;
using Nova.Store.Images;

namespace Nova.Api.Tests.Libvirt;

/// <summary>
/// pause, suspend, rescue and shelve through the API to a real QEMU guest: after each step the domain's state is the
/// server's, and after shelve-offload and delete nothing of the server is left on the host.
/// </summary>
public sealed class LibvirtActionTests : IAsyncLifetime
{
    private static readonly string Host = "lva-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string instances = Path.Combine(Path.GetTempPath(), "nova-instances-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ControlPlaneStack stack;

    public LibvirtActionTests() => stack = LibvirtHost.Stack(Host, instances);

    public Task InitializeAsync() => stack.InitializeAsync();

    public async Task DisposeAsync()
    {
        await stack.DisposeAsync();
        if (Directory.Exists(instances)) Directory.Delete(instances, recursive: true);
    }

    private static Dictionary<string, object?> Action(string name) => new() { [name] = null };

    [Fact]
    public async Task Every_step_of_pause_suspend_rescue_and_shelve_is_the_domains_state()
    {
        var admin = stack.Client("admin:admin", "2.37");
        var image = await LibvirtHost.Upload(admin);
        var id = await admin.CreateServer("qemu-actions", image: image);
        await admin.WaitForStatus(id, "ACTIVE", seconds: 90);
        var folder = Path.Combine(instances, id);

        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, Action("pause")));
        await admin.WaitForStatus(id, "PAUSED", seconds: 60);
        Assert.Equal(DomainState.Paused, LibvirtHost.DomainStateOf(id));
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, Action("unpause")));
        await admin.WaitForStatus(id, "ACTIVE", seconds: 60);
        Assert.Equal(DomainState.Running, LibvirtHost.DomainStateOf(id));

        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, Action("suspend")));
        await admin.WaitForStatus(id, "SUSPENDED", seconds: 60);
        Assert.Equal(DomainState.Shutoff, LibvirtHost.DomainStateOf(id));
        Assert.Single(Directory.GetFiles("/var/lib/libvirt/qemu/save", $"instance-{id.Replace("-", "")[..8]}*"));
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, Action("resume")));
        await admin.WaitForStatus(id, "ACTIVE", seconds: 60);
        Assert.Equal(DomainState.Running, LibvirtHost.DomainStateOf(id));

        var (rescued, _) = await admin.Send(HttpMethod.Post, $"/v2.1/servers/{id}/action", new { rescue = new { rescue_image_ref = image } });
        Assert.Equal(HttpStatusCode.OK, rescued);
        await admin.WaitForStatus(id, "RESCUE", seconds: 90);
        Assert.Equal(DomainState.Running, LibvirtHost.DomainStateOf(id));
        Assert.True(File.Exists(Path.Combine(folder, "disk.rescue")));
        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, Action("unrescue")));
        await admin.WaitForStatus(id, "ACTIVE", seconds: 60);
        Assert.Equal(DomainState.Running, LibvirtHost.DomainStateOf(id));
        Assert.False(File.Exists(Path.Combine(folder, "disk.rescue")));

        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, Action("shelve")));
        await admin.WaitForStatus(id, "SHELVED_OFFLOADED", seconds: 120);
        Assert.False(LibvirtHost.DomainExists(id));
        Assert.False(Directory.Exists(folder));
        Assert.Empty((await stack.ComputeHost(Host)).Claims);
        var shelveImage = await ShelveImageOf(id);
        var (_, stored) = await admin.Get($"/image/v2/images/{shelveImage}");
        Assert.Equal(("active", "qcow2"), (stored!["status"]!.GetValue<string>(), stored["disk_format"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, Action("unshelve")));
        await admin.WaitForStatus(id, "ACTIVE", seconds: 120);
        Assert.Equal(DomainState.Running, LibvirtHost.DomainStateOf(id));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Get($"/image/v2/images/{shelveImage}")).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await admin.WaitUntilGone(id, seconds: 60);
        await Eventually.True(() => Task.FromResult(!Directory.Exists(folder) && !LibvirtHost.DomainExists(id)),
            TimeSpan.FromSeconds(30), "domain and instance folder removed");
        Assert.Empty(Directory.GetFiles("/var/lib/libvirt/qemu/save", $"instance-{id.Replace("-", "")[..8]}*"));
        Assert.Empty((await stack.ComputeHost(Host)).Claims);
    }

    private async Task<Guid> ShelveImageOf(string id)
    {
        await using var session = stack.Store.QuerySession();
        var server = await session.Events.AggregateStreamAsync<Domain.Servers.Server>(Guid.Parse(id));
        Assert.NotNull(server?.ShelveImageId);
        Assert.NotNull(await session.LoadAsync<ImageRecord>(server!.ShelveImageId!.Value));
        return server.ShelveImageId.Value;
    }
}
