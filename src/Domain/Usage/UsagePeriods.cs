using Nova.Domain.Flavors;
using Nova.Domain.Servers;

namespace Nova.Domain.Usage;

/// <summary>One stretch of a server's life on one flavor: from its launch or a flavor change to the next change or its end.</summary>
public sealed record UsagePeriod(FlavorSpec Flavor, DateTimeOffset From, DateTimeOffset? To);

/// <summary>What a server used within a window: its hours, and the flavor-weighted totals (each period on its own flavor).</summary>
public sealed record WindowUsage(double Hours, double VcpuHours, double MemoryMbHours, double LocalGbHours, FlavorSpec Flavor);

/// <summary>
/// A server's usage periods, kept exactly from its events: Nova bills from <c>launched_at</c> to <c>terminated_at</c> on
/// whatever flavor the instance has when asked, so a resized server is billed its last flavor for its whole life. Here
/// each flavor counts for the time the server actually had it (from the resize's finish on the target; back to the old
/// one when, in a revert or a failure, the target let go).
/// </summary>
public static class UsagePeriods
{
    /// <summary>The periods after <paramref name="event"/> moved the server from <paramref name="before"/> to <paramref name="after"/>.</summary>
    /// <param name="stored">When the event was stored: the time of a change whose event carries no time of its own.</param>
    public static IReadOnlyList<UsagePeriod> After(IReadOnlyList<UsagePeriod> periods, Server? before, Server after, object @event, DateTimeOffset stored)
    {
        var open = periods.Count > 0 && periods[^1].To is null ? periods[^1] : null;
        if (after.TerminatedAt is { } end)
            return open is null ? periods : [.. periods.SkipLast(1), open with { To = Max(open.From, end) }];
        if (periods.Count == 0)
            return after.LaunchedAt is { } launched ? [new UsagePeriod(after.Flavor, launched, null)] : periods;
        if (open is null || open.Flavor == after.Flavor) return periods;
        var at = Max(open.From, TimeOf(@event) ?? stored);
        return [.. periods.SkipLast(1), open with { To = at }, new UsagePeriod(after.Flavor, at, null)];
    }

    /// <summary>
    /// The usage between <paramref name="start"/> and <paramref name="stop"/> (a period still open runs to
    /// <paramref name="stop"/>); null when the server ran none of that time (it is not in Nova's list then either).
    /// </summary>
    public static WindowUsage? Within(IReadOnlyList<UsagePeriod> periods, DateTimeOffset start, DateTimeOffset stop)
    {
        if (periods.Count == 0 || periods[0].From >= stop || periods[^1].To is { } ended && ended <= start) return null;
        double hours = 0, vcpus = 0, memory = 0, disk = 0;
        var flavor = periods[0].Flavor;
        foreach (var p in periods)
        {
            if (p.From >= stop) break;
            var from = Max(p.From, start);
            var to = p.To is { } t && t < stop ? t : stop;
            // The flavor the server had last within the window is the one its row shows.
            flavor = p.Flavor;
            if (to <= from) continue;
            var h = (to - from).TotalHours;
            hours += h;
            vcpus += h * p.Flavor.Vcpus;
            memory += h * p.Flavor.RamMb;
            disk += h * (p.Flavor.DiskGb + p.Flavor.EphemeralGb);
        }
        return new WindowUsage(hours, vcpus, memory, disk, flavor);
    }

    /// <summary>The time a flavor change took effect, when its event says it.</summary>
    private static DateTimeOffset? TimeOf(object @event) => @event switch
    {
        ServerResized e => e.At,
        _ => null,
    };

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
