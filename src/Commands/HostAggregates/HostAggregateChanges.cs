using Marten;
using Nova.Commands.Requests;
using Nova.Domain.HostAggregates;
using Nova.Domain.Hosts;
using Nova.Store;
using Nova.Store.Hosts;

namespace Nova.Commands.HostAggregates;

internal static class HostAggregateInput
{
    public static IEnumerable<string> Name(string field, string? value)
    {
        if (value is null) yield break;
        if (value.Length is < 1 or > 255 || value.Trim() != value)
            yield return $"Invalid input for field/attribute {field}. Value: {value}. It must be 1 to 255 characters without leading or trailing whitespace.";
    }
}

/// <summary>
/// The write path for aggregates: read every aggregate and the hosts concerned, decide with Nova's rules,
/// store the aggregate and, in the same transaction, move each affected host into its new zone on the
/// host's stream (locked, so the zone never changes under a scheduler's claim). A lost race re-decides.
/// </summary>
public static class HostAggregateChanges
{
    public const string Policy = "os_compute_api:os-aggregates";

    /// <summary>Nova's rule for one aggregate action (os_compute_api:os-aggregates:ACTION).</summary>
    public static void AuthorizeAggregate(this Caller caller, string action) => caller.Authorize($"{Policy}:{action}");

    public static async ValueTask<HostAggregateRecord> Change(EventSessions sessions, TimeProvider clock, int id, HostAggregateCommand command, CancellationToken ct) =>
        await sessions.WithRetry(async session =>
        {
            var all = await session.Query<HostAggregateRecord>().ToListAsync(ct);
            var record = all.FirstOrDefault(a => a.Id == id) ?? throw NotFound(id);
            var hosts = (await session.Query<ComputeHost>().Where(h => !h.Deleted).ToListAsync(ct)).ToDictionary(h => h.Name);
            if (command is HostAggregateCommand.AddHost add && !hosts.ContainsKey(add.Host)) throw new HostNotFound(add.Host);

            var context = new HostAggregateContext(all.Where(a => a.Id != id).Select(a => a.ToDomain()).ToList(),
                host => hosts.TryGetValue(host, out var h) && h.Claims.Count > 0);
            var change = HostAggregateDecider.Decide(command, record.ToDomain(), context);
            // Hosts are locked in name order, the same order everywhere, so two such changes cannot deadlock.
            foreach (var (host, zone) in change.HostZones.OrderBy(h => h.Key, StringComparer.Ordinal))
            {
                var stream = await session.Events.FetchForExclusiveWriting<ComputeHost>(ComputeHostId.From(host), ct);
                if (stream.Aggregate is not { Deleted: false } state) continue; // a removed host keeps no zone
                stream.AppendMany(ComputeHostDecider.Decide(new ComputeHostCommand.AssignZone(zone), state));
            }
            record.Apply(change.Aggregate, clock.GetUtcNow());
            session.Update(record);
            await Save(session, record.Name, ct);
            return record;
        });

    /// <summary>
    /// Commits an aggregate's insert or rename. The decider's name check read a snapshot; the unique index is the
    /// guarantee when another create or rename to the same name commits in between (Nova's 409, never a duplicate).
    /// </summary>
    internal static async Task Save(IDocumentSession session, string name, CancellationToken ct)
    {
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (UniqueNames.Refused(e, UniqueNames.HostAggregateName))
        {
            throw new HostAggregateConflict($"Aggregate {name} already exists.");
        }
    }

    internal static HostAggregateNotFound NotFound(int id) => new($"Aggregate {id} could not be found.");
}
