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

    public static Dictionary<string, object?> Detail(HttpContext http, ServerView s, bool isAdmin)
    {
        var version = MicroversionMiddleware.Of(http);
        var body = Summary(http, s);
        body["status"] = s.Status;
        body["tenant_id"] = s.ProjectId;
        body["user_id"] = s.UserId;
        body["metadata"] = s.Metadata;
        body["hostId"] = HostId(s.ProjectId, s.Host);
        body["image"] = new { id = s.ImageId, links = new[] { new { rel = "bookmark", href = $"{Links.Root(http)}/images/{s.ImageId}" } } };
        body["flavor"] = version.AtLeast(47)
            ? new Dictionary<string, object?>
            {
                ["vcpus"] = s.Flavor.Vcpus, ["ram"] = s.Flavor.RamMb, ["disk"] = s.Flavor.DiskGb,
                ["ephemeral"] = s.Flavor.EphemeralGb, ["swap"] = s.Flavor.SwapMb,
                ["original_name"] = s.Flavor.Name, ["extra_specs"] = new Dictionary<string, string>(),
            }
            : new { id = s.Flavor.Id, links = new[] { new { rel = "bookmark", href = $"{Links.Root(http)}/flavors/{s.Flavor.Id}" } } };
        body["created"] = NovaJson.Time(s.CreatedAt);
        body["updated"] = NovaJson.Time(s.UpdatedAt);
        body["addresses"] = new Dictionary<string, object>();
        body["accessIPv4"] = s.State?.AccessIPv4 ?? "";
        body["accessIPv6"] = s.State?.AccessIPv6 ?? "";
        body["key_name"] = s.State?.KeyName;
        body["config_drive"] = "";
        body["OS-DCF:diskConfig"] = "MANUAL";
        // The zone of the host it was placed on; before placement the zone asked for (Nova's instance.availability_zone).
        body["OS-EXT-AZ:availability_zone"] = s.State?.HostZone ?? s.State?.AvailabilityZone ?? (s.Host is null ? "" : "nova");
        body["OS-EXT-STS:vm_state"] = s.VmState;
        body["OS-EXT-STS:task_state"] = s.TaskState;
        body["OS-EXT-STS:power_state"] = s.PowerState;
        body["OS-SRV-USG:launched_at"] = NovaJson.UsageTime(s.LaunchedAt);
        body["OS-SRV-USG:terminated_at"] = NovaJson.UsageTime(s.TerminatedAt);
        body["os-extended-volumes:volumes_attached"] = Array.Empty<object>();
        if (s.Status is "BUILD" or "ACTIVE") body["progress"] = s.Status == "ACTIVE" ? 100 : 0;
        if (s.Networks != "none") body["security_groups"] = new[] { new { name = "default" } };
        if (isAdmin)
        {
            body["OS-EXT-SRV-ATTR:host"] = s.Host;
            body["OS-EXT-SRV-ATTR:hypervisor_hostname"] = s.Host;
            body["OS-EXT-SRV-ATTR:instance_name"] = $"instance-{s.Id.ToString("N")[..8]}";
        }
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
        if (version.AtLeast(16)) body["host_status"] = s.Host is null ? "" : "UP";
        if (version.AtLeast(71)) body["server_groups"] = s.State?.GroupId is { } group ? new[] { group.ToString() } : Array.Empty<string>();
        return body;
    }

    /// <summary>
    /// The server as PUT /servers/{id} and the rebuild action answer it before 2.75: Nova's view without the
    /// extension attributes (availability zone, config drive, extended status and server attributes, usage, volumes,
    /// security groups, host status), key_name only from 2.54 (Tempest's update_server/rebuild_server schemas).
    /// </summary>
    public static Dictionary<string, object?> Changed(HttpContext http, ServerView s)
    {
        var version = MicroversionMiddleware.Of(http);
        var body = Detail(http, s, isAdmin: false);
        foreach (var key in body.Keys.ToList())
            if (key.StartsWith("OS-EXT-", StringComparison.Ordinal) || key.StartsWith("OS-SRV-USG:", StringComparison.Ordinal)
                || key is "config_drive" or "os-extended-volumes:volumes_attached" or "security_groups" or "host_status")
                body.Remove(key);
        if (!version.AtLeast(54)) body.Remove("key_name");
        return body;
    }

    /// <summary>
    /// Nova's opaque hostId: a hash of project and host, so a tenant can tell co-located servers
    /// apart without learning host names. (Nova uses SHA-224; .NET has none, so SHA-256 cut to the same 56 hex digits.)
    /// </summary>
    public static string HostId(string projectId, string? host) =>
        host is null ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(projectId + host)))[..56];
}
