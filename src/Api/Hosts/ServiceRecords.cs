using Marten;
using Nova.Commands.Hosts;
using Nova.Domain;
using Nova.Domain.Hosts;
using Nova.Store.Hosts;

namespace Nova.Api.Hosts;

/// <summary>
/// One row of Nova's services table. <see cref="Compute"/> is the host behind a nova-compute
/// service; the control plane's own services have none.
/// </summary>
public sealed record ServiceRecord(
    int Id, Guid Uuid, string Binary, string Host, string Zone, bool Enabled, string? DisabledReason,
    bool ForcedDown, bool IsUp, DateTimeOffset? UpdatedAt, ComputeHost? Compute = null)
{
    public const string ComputeBinary = "nova-compute";
}

/// <summary>The services the control plane knows: one nova-compute per registered host, and its own.</summary>
public static class ServiceRecords
{
    /// <summary>Nova's internal_service_availability_zone, where services that run no servers live.</summary>
    public const string InternalZone = "internal";

    private static readonly string[] ControlPlaneBinaries = ["nova-scheduler", "nova-conductor"];

    /// <summary>Registered, non-deleted hosts, with liveness from their heartbeat (60 s) and the forced-down switch.</summary>
    public static async Task<IReadOnlyList<ServiceRecord>> Computes(IQuerySession session, DateTimeOffset now, CancellationToken ct)
    {
        var hosts = (await session.Query<ComputeHost>().ToListAsync(ct)).Where(h => !h.Deleted).ToList();
        if (hosts.Count == 0) return [];
        var beats = (await session.LoadManyAsync<ComputeService>(ct, hosts.Select(h => h.Name).ToArray())).ToDictionary(s => s.Id);
        return hosts.OrderBy(h => h.Name, StringComparer.Ordinal).Select(h =>
        {
            var beat = beats.GetValueOrDefault(h.Name);
            var up = !h.ForcedDown && beat is not null && now - beat.LastSeenAt < ComputeService.DownAfter;
            return new ServiceRecord(ServiceIds.For(h.Name), h.Id, ServiceRecord.ComputeBinary, h.Name, h.AvailabilityZone,
                h.Enabled, h.DisabledReason, h.ForcedDown, up, beat?.LastSeenAt, h);
        }).ToList();
    }

    /// <summary>
    /// The scheduler and conductor run inside this process, so they are up whenever it can answer;
    /// they live on the machine the control plane runs on.
    /// </summary>
    public static IEnumerable<ServiceRecord> ControlPlane(DateTimeOffset now) =>
        ControlPlaneBinaries.Select(binary =>
        {
            var uuid = NameBasedId.From($"nova-service:{binary}@{Environment.MachineName}");
            return new ServiceRecord((int)(BitConverter.ToUInt32(uuid.ToByteArray(), 0) & 0x7FFFFFFF), uuid, binary,
                Environment.MachineName, InternalZone, Enabled: true, DisabledReason: null, ForcedDown: false, IsUp: true, now);
        });

    public static async Task<IReadOnlyList<ServiceRecord>> All(IQuerySession session, DateTimeOffset now, CancellationToken ct) =>
        [.. ControlPlane(now), .. await Computes(session, now, ct)];
}
