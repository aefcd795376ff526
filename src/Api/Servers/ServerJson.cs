using System.Security.Cryptography;
using System.Text;
using Nova.Api.Http;
using Nova.Projections.Servers;

namespace Nova.Api.Servers;

/// <summary>Server bodies as Nova renders them for a microversion and a caller.</summary>
public static class ServerJson
{
    public static Dictionary<string, object?> Summary(HttpContext http, ServerView s) => new()
    {
        ["id"] = s.Id.ToString(),
        ["name"] = s.Name,
        ["links"] = Links.For(http, "servers", s.Id.ToString()),
    };

    /// <summary>The rule that shows <c>OS-EXT-SRV-ATTR:*</c> (host, hypervisor, instance name).</summary>
    public const string ExtendedAttributesPolicy = "os_compute_api:os-extended-server-attributes";

    public static Dictionary<string, object?> Detail(HttpContext http, ServerView s, ServerAudience audience,
        ServerResponse response = ServerResponse.Show)
    {
        var isAdmin = audience.ExtendedAttributes;
        var version = MicroversionMiddleware.Of(http);
        var body = Summary(http, s);
        body["status"] = s.Status;
        body["tenant_id"] = s.ProjectId;
        body["user_id"] = s.UserId;
        body["metadata"] = s.Metadata;
        body["hostId"] = HostId(s.ProjectId, s.Host);
        body["image"] = new { id = s.ImageId, links = new[] { new { rel = "bookmark", href = $"{Links.Bookmark(http)}/images/{s.ImageId}" } } };
        body["flavor"] = version.AtLeast(47)
            ? new Dictionary<string, object?>
            {
                ["vcpus"] = s.Flavor.Vcpus, ["ram"] = s.Flavor.RamMb, ["disk"] = s.Flavor.DiskGb,
                ["ephemeral"] = s.Flavor.EphemeralGb, ["swap"] = s.Flavor.SwapMb,
                ["original_name"] = s.Flavor.Name, ["extra_specs"] = new Dictionary<string, string>(),
            }
            : new { id = s.Flavor.Id, links = new[] { new { rel = "bookmark", href = $"{Links.Bookmark(http)}/flavors/{s.Flavor.Id}" } } };
        body["created"] = NovaJson.Time(s.CreatedAt);
        body["updated"] = NovaJson.Time(s.UpdatedAt);
        body["addresses"] = new Dictionary<string, object>();
        body["accessIPv4"] = s.State?.AccessIPv4 ?? "";
        body["accessIPv6"] = s.State?.AccessIPv6 ?? "";
        body["OS-DCF:diskConfig"] = "MANUAL";
        if (s.Status is "BUILD" or "ACTIVE") body["progress"] = s.Status == "ACTIVE" ? 100 : 0;
        // Before 2.75 the responses of PUT and rebuild leave out what the extensions of v2.0 added.
        var full = response is ServerResponse.Show or ServerResponse.List || version.AtLeast(75);
        if (full)
        {
            body["key_name"] = s.State?.KeyName;
            body["config_drive"] = "";
            // The zone of the host it was placed on; before placement the zone asked for (Nova's instance.availability_zone).
            body["OS-EXT-AZ:availability_zone"] = s.State?.HostZone ?? s.State?.AvailabilityZone ?? (s.Host is null ? "" : "nova");
            body["OS-EXT-STS:vm_state"] = s.VmState;
            body["OS-EXT-STS:task_state"] = s.TaskState;
            body["OS-EXT-STS:power_state"] = s.PowerState;
            body["OS-SRV-USG:launched_at"] = NovaJson.UsageTime(s.LaunchedAt);
            body["OS-SRV-USG:terminated_at"] = NovaJson.UsageTime(s.TerminatedAt);
            body["os-extended-volumes:volumes_attached"] = Array.Empty<object>();
            if (s.Networks != "none") body["security_groups"] = new[] { new { name = "default" } };
        }
        else
        {
            isAdmin = false;
            if (response == ServerResponse.Rebuild && version.AtLeast(54)) body["key_name"] = s.State?.KeyName;
        }
        if (isAdmin)
        {
            body["OS-EXT-SRV-ATTR:host"] = s.Host;
            body["OS-EXT-SRV-ATTR:hypervisor_hostname"] = s.Host;
            body["OS-EXT-SRV-ATTR:instance_name"] = $"instance-{s.Id.ToString("N")[..8]}";
            if (version.AtLeast(3))
            {
                body["OS-EXT-SRV-ATTR:hostname"] = Hostname(s);
                body["OS-EXT-SRV-ATTR:kernel_id"] = ""; // images here boot whole disks: no separate kernel or ramdisk
                body["OS-EXT-SRV-ATTR:launch_index"] = s.LaunchIndex;
                body["OS-EXT-SRV-ATTR:ramdisk_id"] = "";
                body["OS-EXT-SRV-ATTR:reservation_id"] = s.ReservationId;
                body["OS-EXT-SRV-ATTR:root_device_name"] = s.LaunchedAt is null ? null : "/dev/vda";
                // A rebuild's response shows user_data only from 2.57, as the request's own field.
                if (response != ServerResponse.Rebuild) body["OS-EXT-SRV-ATTR:user_data"] = s.State?.UserData;
            }
        }
        else if (version.AtLeast(90)) body["OS-EXT-SRV-ATTR:hostname"] = Hostname(s);
        if (s.Fault is { } fault && s.Status == "ERROR")
        {
            var shown = new Dictionary<string, object?>
            {
                ["code"] = fault.Code, ["message"] = fault.Message, ["created"] = NovaJson.Time(s.UpdatedAt),
            };
            // Nova hides a 500 fault's details from non-admins
            if (isAdmin || fault.Code != 500) shown["details"] = fault.Details;
            body["fault"] = shown;
        }
        if (version.AtLeast(9)) body["locked"] = s.Locked;
        if (version.AtLeast(19)) body["description"] = s.State?.Description;
        if (version.AtLeast(26)) body["tags"] = s.Tags;
        if (version.AtLeast(16) && full && audience.HostStatusOf(s.Host) is { } hostStatus) body["host_status"] = hostStatus;
        // Image signature verification is not done here, so no server has trusted certificates.
        if (version.AtLeast(63)) body["trusted_image_certificates"] = null;
        // Nova leaves server_groups out of the list, where it would cost a lookup per server.
        if (version.AtLeast(71) && response != ServerResponse.List)
            body["server_groups"] = s.State?.GroupId is { } group ? new[] { group.ToString() } : Array.Empty<string>();
        if (version.AtLeast(73)) body["locked_reason"] = s.LockedReason;
        return body;
    }

    private static string Hostname(ServerView s) => s.Hostname ?? Domain.Servers.ServerHostname.From(s.Name, s.Id);


    /// <summary>
    /// Nova's opaque hostId: a hash of project and host, so a tenant can tell co-located servers
    /// apart without learning host names. (Nova uses SHA-224; .NET has none, so SHA-256 cut to the same 56 hex digits.)
    /// </summary>
    public static string HostId(string projectId, string? host) =>
        host is null ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(projectId + host)))[..56];
}

/// <summary>Which response a server body is for: Nova's views differ a little between them.</summary>
public enum ServerResponse
{
    Show,
    List,
    Update,
    Rebuild,
}
