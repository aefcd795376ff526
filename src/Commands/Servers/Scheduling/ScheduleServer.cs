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

/// <summary>
/// Choose a host for a server in building/scheduling and claim its resources there. A first
/// attempt runs the filters and weighers over every host; a reschedule takes the alternates
/// chosen with the first attempt, as Nova's conductor does.
/// </summary>
public sealed record ScheduleServer(Guid ServerId) : ICommand<string?>;

public sealed class ScheduleServerHandler(
    EventSessions sessions, TimeProvider clock, SchedulerOptions options, ILogger<ScheduleServerHandler> log)
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

        var request = new SchedulingRequest(server.Flavor.Resources, server.AvailabilityZone,
            ExcludedHosts: server.HostsTried.ToHashSet());
        var ranked = Rank(await Candidates(session, ct), server, request);

        for (var i = 0; i < ranked.Count; i++)
        {
            var host = ranked[i];
            if (!await HostClaims.TryClaim(session, host, serverId, server.Flavor.Resources, ct)) continue;
            var alternates = ranked.Skip(i + 1).Take(options.Alternates).ToList();
            stream.AppendMany(ServerDecider.Decide(new ServerCommand.RecordScheduled(host, alternates), server));
            // Claim and choice commit together: a lost race on either rolls both back and we choose again.
            await session.SaveChangesAsync(ct);
            return host;
        }

        log.LogWarning("No valid host for server {ServerId} (flavor {Flavor}, attempt {Attempt})",
            serverId, server.Flavor.Name, server.Attempts + 1);
        var details = server.Attempts == 0
            ? $"No host had {server.Flavor.Vcpus} vcpus, {server.Flavor.RamMb} MB RAM and {server.Flavor.Resources.DiskGb} GB disk free, up and enabled{(server.AvailabilityZone is { } az ? $" in zone {az}" : "")}."
            : $"Exhausted all hosts available for retrying build failures for instance {serverId}. Last error: {server.Fault?.Message}";
        stream.AppendMany(ServerDecider.Decide(
            new ServerCommand.RecordSchedulingFailed(new ServerFault(500, ServerFault.NoValidHost, details)), server));
        await session.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Host names to try in order: the filter scheduler's ranking, or the remaining alternates on a reschedule.</summary>
    private IReadOnlyList<string> Rank(IReadOnlyList<HostCandidate> candidates, Server server, SchedulingRequest request)
    {
        if (server.Attempts > 0)
        {
            var eligible = candidates.Where(h => HostSelection.Filters.All(f => f.Passes(h, request))).Select(h => h.Name).ToHashSet();
            return (server.Alternates ?? []).Where(eligible.Contains).ToList();
        }
        return HostSelection.Rank(candidates, request, options).Select(h => h.Name).ToList();
    }

    private async Task<IReadOnlyList<HostCandidate>> Candidates(IDocumentSession session, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var hosts = (await session.Query<ComputeHost>().ToListAsync(ct)).Where(h => !h.Deleted);
        var services = (await session.Query<ComputeService>().ToListAsync(ct)).ToDictionary(s => s.Id);
        return hosts.Select(h => new HostCandidate(h.Name, h.Capacity, h.Used,
            IsUp: !h.ForcedDown && services.TryGetValue(h.Name, out var s) && s.IsUp(now),
            IsEnabled: h.Enabled, h.AvailabilityZone, h.HypervisorType, h.RecentBuildFailures)).ToList();
    }
}
