using System.Net;
using System.Net.Http.Headers;
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

    public LibvirtBootTests()
    {
        stack = ControlPlaneStack.With(new StackOptions(Settings: new Dictionary<string, string?>
        {
            ["Nova:Compute:Driver"] = "libvirt",
            ["Nova:Compute:Hosts:0"] = Host,
            ["Nova:Compute:Libvirt:Uri"] = "qemu:///system",
            ["Nova:Compute:Libvirt:InstancesPath"] = instances,
            ["Nova:Compute:Libvirt:ImageServiceUrl"] = "{BaseAddress}/image",
            // The test guest has no OS to answer ACPI: a stop waits this long, then destroys.
            ["Nova:Compute:Libvirt:ShutdownTimeoutSeconds"] = "1",
        }));
    }

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
        var image = await Upload(admin);

        var id = await admin.CreateServer("qemu-guest", image: image);
        var active = await admin.WaitForStatus(id, "ACTIVE", seconds: 90);
        Assert.Equal(Host, active["OS-EXT-SRV-ATTR:host"]!.GetValue<string>());
        Assert.Equal(DomainState.Running, DomainStateOf(id));
        Assert.True(File.Exists(Path.Combine(instances, id, "disk")));

        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new Dictionary<string, object?> { ["os-stop"] = null }));
        await admin.WaitForStatus(id, "SHUTOFF", seconds: 60);
        Assert.Equal(DomainState.Shutoff, DomainStateOf(id));

        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new Dictionary<string, object?> { ["os-start"] = null }));
        await admin.WaitForStatus(id, "ACTIVE", seconds: 60);
        Assert.Equal(DomainState.Running, DomainStateOf(id));

        Assert.Equal(HttpStatusCode.Accepted, await admin.Act(id, new { reboot = new { type = "HARD" } }));
        await admin.WaitForStatus(id, "ACTIVE", seconds: 60);
        Assert.Equal(DomainState.Running, DomainStateOf(id));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
        await admin.WaitUntilGone(id, seconds: 60);
        await Eventually.True(() => Task.FromResult(!Directory.Exists(Path.Combine(instances, id))), TimeSpan.FromSeconds(30), "instance folder removed");
        using var connection = LibvirtConnection.Open("qemu:///system", readOnly: true);
        Assert.Throws<LibvirtNoSuchDomainException>(() => connection.LookupByUuid(Guid.Parse(id)));
        Assert.Empty((await stack.ComputeHost(Host)).Claims);
    }

    private static DomainState DomainStateOf(string id)
    {
        using var connection = LibvirtConnection.Open("qemu:///system", readOnly: true);
        using var domain = connection.LookupByUuid(Guid.Parse(id));
        return domain.GetState();
    }

    private async Task<string> Upload(HttpClient admin)
    {
        var file = Path.Combine(Path.GetTempPath(), $"guest-{Guid.NewGuid():N}.qcow2");
        try
        {
            await Run("qemu-img", $"create -f qcow2 {file} 64M");
            await Run("qemu-io", $"-f qcow2 -c \"write -P 0xab 0 1M\" {file}");
            var (created, body) = await admin.Send(HttpMethod.Post, "/image/v2/images",
                new { name = "guest", disk_format = "qcow2", container_format = "bare", visibility = "public" });
            Assert.Equal(HttpStatusCode.Created, created);
            var id = body!["id"]!.GetValue<string>();
            using var content = new StreamContent(File.OpenRead(file));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var upload = await admin.PutAsync($"/image/v2/images/{id}/file", content);
            Assert.Equal(HttpStatusCode.NoContent, upload.StatusCode);
            return id;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task Run(string program, string arguments)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {arguments}: {await process.StandardError.ReadToEndAsync()}");
    }
}
