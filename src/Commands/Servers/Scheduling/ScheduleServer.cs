using Marten;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Nova.Commands.Hosts;
using Nova.Commands.Requests;
using Nova.Commands.Servers.Creating;
using Nova.Domain.Hosts;
using Nova.Domain.Scheduling;
using Nova.Domain.ServerGroups;
using Nova.Domain.Servers;
using Nova.Store.Hosts;

namespace Nova.Commands.Servers.Scheduling;

/// <summary>
/// Choose a host for a server that needs one (building/scheduling, or an offloaded server unshelving) and claim its resources there. A first
/// attempt runs the filters and weighers over every host; a reschedule takes the alternates
/// chosen with the first attempt, as Nova's conductor does.
/// </summary>
public sealed record ScheduleServer(Guid ServerId) : ICommand<string?>;

public sealed class ScheduleServerHandler(
    EventSessions sessions, Caller caller, TimeProvider clock, SchedulerOptions options, IConfiguration config,
    ILogger<ScheduleServerHandler> log)
    : ICommandHandler<ScheduleServer, string?>
{
    public async ValueTask<string?> Handle(ScheduleServer command, CancellationToken ct) =>
        await sessions.WithRetry(session => Schedule(session, command.ServerId, ct));

    private async Task<string?> Schedule(IDocumentSession session, Guid serverId, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Server>(serverId, ct);
        var server = stream.Aggregate;
        if (server is not null && ResizeDecider.AwaitsPlacement(server)) return await ScheduleMigration(session, stream, server, ct);
        if (!NeedsHost(server)) return server?.Host; // redelivered, deleted meanwhile, or already scheduled
        if (server!.Batch is { Size: > 1 } batch && server.Attempts == 0) return await ScheduleBatch(session, server, batch, ct);
        // An unshelve is a fresh placement: the hosts its build tried say nothing about it.
        var unshelving = server.VmState == VmState.ShelvedOffloaded;

        // The group is locked for this transaction: its policy is checked again on the authoritative
        // membership right before the claim (Nova's late check), and two members cannot race past it.
        var group = server.GroupId is { } groupId ? await session.Events.FetchForExclusiveWriting<ServerGroup>(groupId, ct) : null;
        var request = new SchedulingRequest(server.Flavor.Resources, server.AvailabilityZone,
            ExcludedHosts: unshelving ? [] : server.HostsTried.ToHashSet(), Group: group?.Aggregate?.Placement(serverId));
        var ranked = Rank(await Candidates(session, ct), server, request, reschedule: server.Attempts > 0 && !unshelving);

        for (var i = 0; i < ranked.Count; i++)
        {
            var host = ranked[i];
            var placed = PlaceInGroup(group?.Aggregate, serverId, host);
            if (placed is null) continue;
            if (await HostClaims.TryClaim(session, host, serverId, server.Flavor.Resources, ct, server.AvailabilityZone) is not { } claimed)
                continue;
            group?.AppendMany(placed);
            var alternates = ranked.Skip(i + 1).Take(options.Alternates).ToList();
            stream.AppendMany(ServerDecider.Decide(new ServerCommand.RecordScheduled(host, alternates, claimed.AvailabilityZone), server));
            // Claim and choice commit together: a lost race on either rolls both back and we choose again.
            await session.SaveChangesAsync(ct);
            return host;
        }

        log.LogWarning("No valid host for server {ServerId} (flavor {Flavor}, attempt {Attempt})",
            serverId, server.Flavor.Name, server.Attempts + 1);
        var details = server.Attempts == 0 || unshelving
            ? $"No host had {server.Flavor.Vcpus} vcpus, {server.Flavor.RamMb} MB RAM and {server.Flavor.Resources.DiskGb} GB disk free, up and enabled{(server.AvailabilityZone is { } az ? $" in zone {az}" : "")}."
            : $"Exhausted all hosts available for retrying build failures for instance {serverId}. Last error: {server.Fault?.Message}";
        stream.AppendMany(ServerDecider.Decide(
            new ServerCommand.RecordSchedulingFailed(new ServerFault(500, ServerFault.NoValidHost, details)), server));
        await session.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>
    /// A resize or cold migration: a target with room for the new flavor, claimed before anything moves (on the source
    /// itself its claim grows by the new flavor, so the host is never over-committed while both guests exist).
    /// </summary>
    private async Task<string?> ScheduleMigration(IDocumentSession session, JasperFx.Events.IEventStream<Server> stream, Server server,
        CancellationToken ct)
    {
        var m = server.Migration!;
        var sameHostAllowed = options.AllowResizeToSameHost && m.Kind == MigrationKind.Resize;
        var request = new SchedulingRequest(m.NewFlavor.Resources, server.AvailabilityZone,
            ExcludedHosts: sameHostAllowed ? new HashSet<string>() : new HashSet<string> { m.SourceHost });
        var candidates = (await Candidates(session, ct)).Where(c => m.RequestedHost is null || c.Name == m.RequestedHost).ToList();
        foreach (var host in HostSelection.Rank(candidates, request, options).Select(h => h.Name))
        {
            var claimed = host == m.SourceHost
                ? await HostClaims.TryClaimResize(session, host, server.Id, m.OldFlavor.Resources, m.NewFlavor.Resources, ct)
                : await HostClaims.TryClaim(session, host, server.Id, m.NewFlavor.Resources, ct, server.AvailabilityZone);
            if (claimed is null) continue;
            stream.AppendMany(ServerDecider.Decide(new ServerCommand.RecordScheduled(host, [], claimed.AvailabilityZone), server));
            await session.SaveChangesAsync(ct);
            return host;
        }

        log.LogWarning("No valid host to {Kind} server {ServerId} (flavor {Flavor})", m.Kind, server.Id, m.NewFlavor.Name);
        var events = ServerDecider.Decide(new ServerCommand.RecordSchedulingFailed(new ServerFault(500, ServerFault.NoValidHost,
            m.RequestedHost is { } requested
                ? $"Host {requested} cannot take the server: it is down, disabled or has not {m.NewFlavor.Vcpus} vcpus, {m.NewFlavor.RamMb} MB RAM and {m.NewFlavor.Resources.DiskGb} GB disk free."
                : $"No other host had {m.NewFlavor.Vcpus} vcpus, {m.NewFlavor.RamMb} MB RAM and {m.NewFlavor.Resources.DiskGb} GB disk free, up and enabled.")),
            server);
        stream.AppendMany(events);
        await Resizing.MigrationSettlement.Apply(session, config, server, events, ct);
        await session.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The group's placement events for this host, or null when the host would break a hard policy.</summary>
    private static IReadOnlyList<object>? PlaceInGroup(ServerGroup? group, Guid serverId, string host)
    {
        if (group is null || group.Deleted) return [];
        try
        {
            return ServerGroupDecider.Decide(new ServerGroupCommand.Place(serverId, host), group);
        }
        catch (GroupPolicyViolated)
        {
            return null;
        }
    }

    private static bool NeedsHost(Server? server) => server is { NeedsHost: true };

    /// <summary>
    /// A multi-create is placed as one: every server of the request gets its claim in one transaction,
    /// and when fewer than min_count fit, none is placed and all fail (Nova's all-or-nothing).
    /// </summary>
    private async Task<string?> ScheduleBatch(IDocumentSession session, Server first, CreateBatch batch, CancellationToken ct)
    {
        var servers = new List<JasperFx.Events.IEventStream<Server>>();
        for (var i = 1; i <= batch.Size; i++)
        {
            var sibling = await session.Events.FetchForWriting<Server>(ServerIds.For(first.ProjectId, batch.CreationKey ?? caller.RequestId, i), ct);
            if (NeedsHost(sibling.Aggregate)) servers.Add(sibling);
        }

        var candidates = (await Candidates(session, ct)).ToDictionary(c => c.Name);
        var group = first.GroupId is { } groupId ? await session.Events.FetchForExclusiveWriting<ServerGroup>(groupId, ct) : null;
        var groupState = group?.Aggregate;
        var hostStreams = new Dictionary<string, JasperFx.Events.IEventStream<ComputeHost>>();
        var hostStates = new Dictionary<string, ComputeHost?>();
        var placements = new List<(JasperFx.Events.IEventStream<Server> Server, string Host, List<string> Alternates, string Zone)>();
        foreach (var server in servers)
        {
            var wanted = server.Aggregate!.Flavor.Resources;
            var ranked = HostSelection.Rank(candidates.Values,
                    new SchedulingRequest(wanted, server.Aggregate.AvailabilityZone, Group: groupState?.Placement(server.Id)), options)
                .Select(h => h.Name).ToList();
            for (var i = 0; i < ranked.Count; i++)
            {
                var host = ranked[i];
                var inGroup = PlaceInGroup(groupState, server.Id, host);
                if (inGroup is null) continue;
                if (!hostStreams.TryGetValue(host, out var hostStream))
                {
                    hostStream = await session.Events.FetchForExclusiveWriting<ComputeHost>(ComputeHostId.From(host), ct);
                    hostStreams[host] = hostStream;
                    hostStates[host] = hostStream.Aggregate;
                }
                // The zone is checked again on the locked host: an aggregate may have moved it since the ranking.
                if (server.Aggregate.AvailabilityZone is { } zone && hostStates[host]?.AvailabilityZone != zone) continue;
                IReadOnlyList<object> claim;
                try
                {
                    claim = ComputeHostDecider.Decide(new ComputeHostCommand.Claim(server.Id, wanted), hostStates[host]);
                }
                catch (InsufficientHostResources)
                {
                    continue;
                }
                hostStream.AppendMany(claim);
                group?.AppendMany(inGroup);
                groupState = groupState is null ? null : inGroup.Aggregate(groupState, (g, e) => ServerGroup.Evolve(g, e));
                var state = claim.Aggregate(hostStates[host], (h, e) => ComputeHost.Evolve(h, e));
                hostStates[host] = state;
                candidates[host] = candidates[host] with { Used = state!.Used };
                placements.Add((server, host, ranked.Skip(i + 1).Take(options.Alternates).ToList(), state.AvailabilityZone));
                break;
            }
        }

        if (placements.Count < batch.MinCount)
        {
            // Nothing of this attempt is saved: the claims above die with this session.
            log.LogWarning("Only {Placed} of min_count {Min} servers of request {Request} fit: none is placed",
                placements.Count, batch.MinCount, caller.RequestId);
            await using var failures = sessions.Open();
            foreach (var server in servers)
            {
                var again = await failures.Events.FetchForWriting<Server>(server.Id, ct);
                again.AppendMany(ServerDecider.Decide(new ServerCommand.RecordSchedulingFailed(new ServerFault(500,
                    ServerFault.NoValidHost, $"Only {placements.Count} of the {batch.MinCount} servers the request needs at least could be placed.")),
                    again.Aggregate));
            }
            await failures.SaveChangesAsync(ct);
            return null;
        }

        var placed = placements.ToDictionary(p => p.Server.Id);
        foreach (var server in servers)
            server.AppendMany(placed.TryGetValue(server.Id, out var p)
                ? ServerDecider.Decide(new ServerCommand.RecordScheduled(p.Host, p.Alternates, p.Zone), server.Aggregate)
                : ServerDecider.Decide(new ServerCommand.RecordSchedulingFailed(new ServerFault(500, ServerFault.NoValidHost,
                    "No host had room left for this server of the request.")), server.Aggregate));
        await session.SaveChangesAsync(ct);
        return placed.TryGetValue(first.Id, out var mine) ? mine.Host : null;
    }

    /// <summary>Host names to try in order: the filter scheduler's ranking, or the remaining alternates on a reschedule.</summary>
    private IReadOnlyList<string> Rank(IReadOnlyList<HostCandidate> candidates, Server server, SchedulingRequest request, bool reschedule)
    {
        if (reschedule)
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
