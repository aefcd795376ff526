using Mediator;
using Nova.Commands.Requests;
using Nova.ComputeRpc;
using Nova.Domain.Hosts;
using Nova.Store.Hosts;

namespace Nova.Commands.Hosts;

/// <summary>A compute host's periodic report: registers the host, tracks capacity, refreshes its heartbeat.</summary>
public sealed record RecordHostReport(ComputeHostReport Report) : ICommand<bool>;

public sealed class RecordHostReportHandler(EventSessions sessions, TimeProvider clock)
    : ICommandHandler<RecordHostReport, bool>
{
    public async ValueTask<bool> Handle(RecordHostReport command, CancellationToken ct)
    {
        var report = command.Report;
        return await sessions.WithRetry(async session =>
        {
            var stream = await session.Events.FetchForWriting<ComputeHost>(ComputeHostId.From(report.Host), ct);
            stream.AppendMany(ComputeHostDecider.Decide(
                new ComputeHostCommand.Report(report.Host, report.Inventory, report.Capacity, report.HypervisorType,
                    report.HypervisorVersion, report.AvailabilityZone),
                stream.Aggregate));

            var service = await session.LoadAsync<ComputeService>(report.Host, ct)
                          ?? new ComputeService { Id = report.Host, ServiceId = ServiceIds.For(report.Host) };
            // The control plane's clock decides liveness, so a host with a skewed clock is judged fairly.
            service.LastSeenAt = clock.GetUtcNow();
            // The operator's switches live on the host stream; the heartbeat copy follows them.
            var host = stream.Aggregate;
            if (host is { Deleted: false })
            {
                service.Enabled = host.Enabled;
                service.DisabledReason = host.DisabledReason;
                service.ForcedDown = host.ForcedDown;
            }
            service.RunningVms = report.RunningVms;
            session.Store(service);
            await session.SaveChangesAsync(ct);
            return stream.Aggregate is null;
        });
    }
}

/// <summary>Nova exposes services with integer ids; a stable one per host name.</summary>
public static class ServiceIds
{
    public static int For(string host) => (int)(BitConverter.ToUInt32(ComputeHostId.From(host).ToByteArray(), 0) & 0x7FFFFFFF);
}
