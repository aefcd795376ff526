using Marten;
using Mediator;
using Microsoft.Extensions.Logging;
using Nova.Commands.Hosts;
using Nova.Commands.Requests;
using Nova.Domain.Hosts;
using Nova.Domain.Scheduling;
using Nova.Domain.Servers;
using Nova.Projections.Hosts;

namespace Nova.Commands.Servers.Scheduling;

/// <summary>Choose a host for a server in building/scheduling and claim its resources there.</summary>
public sealed record ScheduleServer(Guid ServerId) : ICommand<string?>;

public sealed class ScheduleServerHandler(EventSessions sessions, TimeProvider clock, ILogger<ScheduleServerHandler> log)
    : ICommandHandler<ScheduleServer, string?>
{
    public async ValueTask<string?> Handle(ScheduleServer command, CancellationToken ct) =>
        await sessions.WithRetry(session => Schedule(session, command.ServerId, ct));

    private async Task<string?> Schedule(IDocumentSession session, Guid serverId, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Server>(serverId, ct);
        var server = stream.Aggregate;
        if (server is null || server.VmState != VmState.Building || server.TaskState != TaskState.Scheduling || server.Host is not null)
            return server?.Host; // redelivered, deleted meanwhile, or already scheduled

        var now = clock.GetUtcNow();
        var hosts = await session.Query<ComputeHost>().ToListAsync(ct);
        var services = (await session.Query<ComputeService>().ToListAsync(ct)).ToDictionary(s => s.Id);
        var candidates = hosts.Select(h => new HostCandidate(h.Name, h.Capacity, h.Used,
            services.TryGetValue(h.Name, out var s) && s.IsUp(now), s?.Enabled ?? false));

        foreach (var host in HostSelection.Rank(candidates, server.Flavor.Resources))
        {
            if (!await HostClaims.TryClaim(session, host.Name, serverId, server.Flavor.Resources, ct)) continue;
            stream.AppendMany(ServerDecider.Decide(new ServerCommand.RecordScheduled(host.Name), server));
            // Claim and choice commit together: a lost race on either rolls both back and we choose again.
            await session.SaveChangesAsync(ct);
            return host.Name;
        }

        log.LogWarning("No valid host for server {ServerId} (flavor {Flavor})", serverId, server.Flavor.Name);
        stream.AppendMany(ServerDecider.Decide(
            new ServerCommand.RecordSchedulingFailed(new ServerFault(500, ServerFault.NoValidHost,
                $"No host among {hosts.Count} had {server.Flavor.Vcpus} vcpus, {server.Flavor.RamMb} MB RAM and {server.Flavor.Resources.DiskGb} GB disk free, up and enabled.")),
            server));
        await session.SaveChangesAsync(ct);
        return null;
    }
}
