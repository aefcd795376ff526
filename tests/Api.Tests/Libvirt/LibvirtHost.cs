using System.Net;
using System.Net.Http.Headers;
using Nova.Api.Tests.Infrastructure;
using Nova.Libvirt;

namespace Nova.Api.Tests.Libvirt;

/// <summary>A control plane whose one compute host is this machine's libvirtd (qemu:///system), and what its tests read back.</summary>
public static class LibvirtHost
{
    /// <param name="shutdownTimeoutSeconds">How long a stop waits for the guest to power off after the ACPI event.</param>
    /// <param name="settings">More settings for the control plane (e.g. allow_resize_to_same_host).</param>
    public static ControlPlaneStack Stack(string host, string instances, int powerSyncIntervalSeconds = 60,
        int shutdownTimeoutSeconds = 1, IReadOnlyDictionary<string, string?>? settings = null) =>
        ControlPlaneStack.With(new StackOptions(PowerSyncIntervalSeconds: powerSyncIntervalSeconds, Settings: new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Nova:Compute:Driver"] = "libvirt",
            ["Nova:Compute:Hosts:0"] = host,
            ["Nova:Compute:Libvirt:Uri"] = "qemu:///system",
            ["Nova:Compute:Libvirt:InstancesPath"] = instances,
            ["Nova:Compute:Libvirt:ImageServiceUrl"] = "{BaseAddress}/image",
            // The blank test guest has no OS to answer ACPI: a stop waits this long, then destroys.
            ["Nova:Compute:Libvirt:ShutdownTimeoutSeconds"] = shutdownTimeoutSeconds.ToString(),
        }));

    /// <summary>Whether libvirt still knows the server's domain.</summary>
    public static bool DomainExists(string id)
    {
        using var connection = LibvirtConnection.Open("qemu:///system", readOnly: true);
        try
        {
            using var domain = connection.LookupByUuid(Guid.Parse(id));
            return true;
        }
        catch (LibvirtNoSuchDomainException)
        {
            return false;
        }
    }

    public static DomainState DomainStateOf(string id)
    {
        using var connection = LibvirtConnection.Open("qemu:///system", readOnly: true);
        using var domain = connection.LookupByUuid(Guid.Parse(id));
        return domain.GetState();
    }

    public static async Task<string> Upload(HttpClient admin)
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
