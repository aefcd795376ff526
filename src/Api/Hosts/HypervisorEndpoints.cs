using System.Globalization;
using Marten;
using Nova.Api.Http;
using Nova.Domain.Hosts;
using Nova.Projections.Servers;
using IMediator = Mediator.IMediator;

namespace Nova.Api.Hosts;

/// <summary>A server a host holds a claim for.</summary>
public sealed record HostedServer(Guid Uuid, string Name)
{
    /// <summary>The host's claims are the servers on it; their names come from the server read model.</summary>
    public static async Task<IReadOnlyList<HostedServer>> On(IQuerySession session, ComputeHost host, CancellationToken ct)
    {
        if (host.Claims.Count == 0) return [];
        var views = (await session.LoadManyAsync<ServerView>(ct, host.Claims.Keys.ToArray())).ToDictionary(v => v.Id);
        return host.Claims.Keys
            .Select(id => new HostedServer(id, views.TryGetValue(id, out var view) ? view.Name : ""))
            .OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Uuid).ToList();
    }
}

/// <summary>A compute host as a hypervisor: its service, and the servers on it when asked for.</summary>
public sealed record HypervisorRecord(ServiceRecord Service, IReadOnlyList<HostedServer>? Servers = null)
{
    public ComputeHost Host => Service.Compute!;
}

/// <summary>
/// /v2.1/os-hypervisors (admin): each compute host's inventory, what its claims use, and what is
/// free to claim. Ids are integers before 2.53 and the host's UUID from it.
/// </summary>
public static class HypervisorEndpoints
{
    private const string Policy = "os_compute_api:os-hypervisors";

    public static void MapHypervisors(this IEndpointRouteBuilder api)
    {
        api.MapGet("/os-hypervisors", (HttpContext http, IMediator m, CancellationToken ct) => List(http, m, detail: false, ct));
        api.MapGet("/os-hypervisors/detail", (HttpContext http, IMediator m, CancellationToken ct) => List(http, m, detail: true, ct));
        api.MapGet("/os-hypervisors/statistics", async (IMediator m, CancellationToken ct) =>
        {
            var s = await m.Send(new GetHypervisorStatistics(), ct);
            return NovaJson.Json(new
            {
                hypervisor_statistics = new
                {
                    count = s.Count, vcpus = s.Vcpus, memory_mb = s.MemoryMb, local_gb = s.LocalGb,
                    vcpus_used = s.VcpusUsed, memory_mb_used = s.MemoryMbUsed, local_gb_used = s.LocalGbUsed,
                    free_ram_mb = s.FreeRamMb, free_disk_gb = s.FreeDiskGb, current_workload = 0,
                    running_vms = s.RunningVms, disk_available_least = s.FreeDiskGb,
                },
            });
        });
        api.MapGet("/os-hypervisors/{id}", async (string id, HttpContext http, IMediator m, CancellationToken ct) =>
        {
            RequireId(http, id);
            var hypervisor = await m.Send(new GetHypervisor(id, $"{Policy}:show", WithServers(http)), ct);
            return NovaJson.Json(new { hypervisor = View(http, hypervisor, detail: true) });
        });
        api.MapGet("/os-hypervisors/{id}/uptime", async (string id, HttpContext http, IMediator m, CancellationToken ct) =>
        {
            RequireId(http, id);
            await m.Send(new GetHypervisor(id, $"{Policy}:uptime"), ct);
            // Nova asks the host's driver; neither the fake driver nor the host report carries an uptime.
            throw new NovaError(501, "Virt driver does not implement host uptime function.");
        });
        api.MapGet("/os-hypervisors/{pattern}/search", async (string pattern, HttpContext http, IMediator m, CancellationToken ct) =>
        {
            RemovedAt53(http);
            var found = await m.Send(new ListHypervisors($"{Policy}:search", pattern), ct);
            return NovaJson.Json(new { hypervisors = found.Select(h => View(http, h, detail: false)).ToList() });
        });
        api.MapGet("/os-hypervisors/{pattern}/servers", async (string pattern, HttpContext http, IMediator m, CancellationToken ct) =>
        {
            RemovedAt53(http);
            var found = await m.Send(new ListHypervisors($"{Policy}:servers", pattern, WithServers: true), ct);
            return NovaJson.Json(new { hypervisors = found.Select(h => View(http, h, detail: false)).ToList() });
        });
    }

    private static async Task<IResult> List(HttpContext http, IMediator mediator, bool detail, CancellationToken ct)
    {
        var version = MicroversionMiddleware.Of(http);
        var q = http.Request.Query;
        var pattern = version.AtLeast(53) ? q.Text("hypervisor_hostname_pattern") : null;
        var limit = version.AtLeast(33) ? q.Limit() : null;
        var marker = version.AtLeast(33) ? q.Text("marker") : null;
        if (pattern is not null && (limit is not null || marker is not null))
            throw NovaError.BadRequest("Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.");

        var policy = detail ? $"{Policy}:list-detail" : $"{Policy}:list";
        var hypervisors = await mediator.Send(new ListHypervisors(policy, pattern, WithServers(http)), ct);
        var page = hypervisors.AsEnumerable();
        if (marker is not null)
        {
            var at = hypervisors.ToList().FindIndex(h => ComputeServiceEndpoints.Id(http, h.Service).ToString() == marker);
            if (at < 0) throw NovaError.BadRequest($"marker [{marker}] not found");
            page = page.Skip(at + 1);
        }
        var list = page.Take(limit ?? int.MaxValue).ToList();
        var body = new Dictionary<string, object?> { ["hypervisors"] = list.Select(h => View(http, h, detail)).ToList() };
        var lastId = list.LastOrDefault() is { } last ? ComputeServiceEndpoints.Id(http, last.Service).ToString() : null;
        if (Links.Next(http, detail ? "os-hypervisors/detail" : "os-hypervisors", limit, list.Count, lastId) is { } next)
            body["hypervisors_links"] = next;
        return NovaJson.Json(body);
    }

    private static Dictionary<string, object?> View(HttpContext http, HypervisorRecord h, bool detail)
    {
        var version = MicroversionMiddleware.Of(http);
        var service = h.Service;
        var host = h.Host;
        var body = new Dictionary<string, object?>
        {
            ["id"] = ComputeServiceEndpoints.Id(http, service),
            ["hypervisor_hostname"] = host.Name,
            ["state"] = service.IsUp ? "up" : "down",
            ["status"] = service.Enabled ? "enabled" : "disabled",
        };
        if (detail)
        {
            var used = host.Used;
            var free = host.Free;
            body["vcpus"] = host.Inventory.Vcpus;
            body["memory_mb"] = host.Inventory.MemoryMb;
            body["local_gb"] = host.Inventory.DiskGb;
            body["vcpus_used"] = used.Vcpus;
            body["memory_mb_used"] = used.MemoryMb;
            body["local_gb_used"] = used.DiskGb;
            body["hypervisor_type"] = host.HypervisorType;
            body["hypervisor_version"] = VersionNumber(host.HypervisorVersion);
            body["free_ram_mb"] = free.MemoryMb;
            body["free_disk_gb"] = free.DiskGb;
            body["current_workload"] = 0;
            body["running_vms"] = host.Claims.Count;
            body["disk_available_least"] = free.DiskGb;
            body["host_ip"] = "127.0.0.1";
            body["service"] = new Dictionary<string, object?>
            {
                ["id"] = ComputeServiceEndpoints.Id(http, service), ["host"] = service.Host, ["disabled_reason"] = service.DisabledReason,
            };
            // A JSON string before 2.28, an object from it.
            body["cpu_info"] = version.AtLeast(28) ? new Dictionary<string, object?>() : "{}";
        }
        // Before 2.75 Nova leaves the key out when the host holds no servers.
        if (h.Servers is { Count: > 0 } servers)
            body["servers"] = servers.Select(s => new { uuid = s.Uuid.ToString(), name = s.Name }).ToList();
        return body;
    }

    /// <summary>Nova's integer form of a version: 2.12.0 → 2012000; an integer stays as it is.</summary>
    public static long VersionNumber(string version)
    {
        if (long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return number;
        var parts = version.Split('.');
        long result = 0;
        foreach (var part in parts.Take(3))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return 0;
            result = result * 1000 + n;
        }
        for (var i = parts.Length; i < 3; i++) result *= 1000;
        return result;
    }

    private static bool WithServers(HttpContext http)
    {
        if (!MicroversionMiddleware.Of(http).AtLeast(53)) return false;
        return http.Request.Query.Flag("with_servers") ?? false;
    }

    private static void RequireId(HttpContext http, string id)
    {
        if (MicroversionMiddleware.Of(http).AtLeast(53))
        {
            if (!Guid.TryParse(id, out _)) throw NovaError.BadRequest($"Invalid uuid {id}");
        }
        else if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw NovaError.NotFound($"Hypervisor with ID '{id}' could not be found.");
    }

    /// <summary>2.53 replaced /{pattern}/search and /{pattern}/servers with query parameters.</summary>
    private static void RemovedAt53(HttpContext http)
    {
        if (MicroversionMiddleware.Of(http).AtLeast(53))
            throw NovaError.NotFound($"The resource could not be found: {http.Request.Path}");
    }
}
