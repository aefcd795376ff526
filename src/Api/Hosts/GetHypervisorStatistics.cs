using Marten;
using Mediator;
using Nova.Commands.Requests;

namespace Nova.Api.Hosts;

public sealed record GetHypervisorStatistics : IQuery<HypervisorStatistics>;

public sealed class GetHypervisorStatisticsHandler(IQuerySession session, Caller caller, TimeProvider clock) : IQueryHandler<GetHypervisorStatistics, HypervisorStatistics>
{
    public async ValueTask<HypervisorStatistics> Handle(GetHypervisorStatistics query, CancellationToken ct)
    {
        caller.Authorize("os_compute_api:os-hypervisors:statistics");
        var hosts = (await ServiceRecords.Computes(session, clock.GetUtcNow(), ct)).Where(s => s.Enabled).Select(s => s.Compute!).ToList();
        return new HypervisorStatistics(hosts.Count,
            hosts.Sum(h => (long)h.Inventory.Vcpus), hosts.Sum(h => (long)h.Inventory.MemoryMb), hosts.Sum(h => (long)h.Inventory.DiskGb),
            hosts.Sum(h => (long)h.Used.Vcpus), hosts.Sum(h => (long)h.Used.MemoryMb), hosts.Sum(h => (long)h.Used.DiskGb),
            hosts.Sum(h => (long)h.Free.MemoryMb), hosts.Sum(h => (long)h.Free.DiskGb), hosts.Sum(h => (long)h.Claims.Count));
    }
}

/// <summary>Sums over the enabled hypervisors (Nova leaves disabled services out of the statistics).</summary>
public sealed record HypervisorStatistics(
    int Count, long Vcpus, long MemoryMb, long LocalGb, long VcpusUsed, long MemoryMbUsed, long LocalGbUsed,
    long FreeRamMb, long FreeDiskGb, long RunningVms);
