using Nova.Domain.Flavors;
using Nova.Domain.Servers;
using Nova.Domain.Tests.Support;
using Nova.Domain.Usage;

namespace Nova.Domain.Tests.Usage;

/// <summary>A server's usage periods, folded from its events, and what any window of them adds up to.</summary>
public class UsagePeriodTests
{
    private static readonly FlavorSpec Tiny = A.Flavor;
    private static readonly FlavorSpec Medium = DefaultFlavors.All[2];
    private static readonly Guid MigrationId = Guid.Parse("6f1f5d2e-0000-4000-8000-00000000cccc");
    private static readonly DateTimeOffset Launched = A.Launched;
    private static readonly DateTimeOffset ResizedAt = Launched.AddHours(2);
    private static readonly DateTimeOffset RevertedAt = Launched.AddHours(5);
    private static readonly DateTimeOffset DeletedAt = Launched.AddHours(10);

    /// <summary>An event stored at a given time.</summary>
    private sealed record Stored(object Event, DateTimeOffset At);

    /// <summary>
    /// Each event with the time it was stored: its <see cref="Stored"/> time, else a minute after the previous one
    /// (so for an event that carries its own time, never the time that counts).
    /// </summary>
    private static IReadOnlyList<UsagePeriod> Fold(params object[] events)
    {
        IReadOnlyList<UsagePeriod> periods = [];
        Server? state = null;
        var stored = A.T0;
        foreach (var item in events)
        {
            var (e, at) = item is Stored s ? (s.Event, s.At) : (item, stored.AddMinutes(1));
            stored = at;
            var next = Server.Evolve(state, e);
            periods = UsagePeriods.After(periods, state, next, e, at);
            state = next;
        }
        return periods;
    }

    private static object[] Active() => [A.Created(), A.Scheduled(), A.Built()];

    private static object[] ResizedToMedium() =>
    [
        .. Active(),
        new ServerResizeRequested(A.ServerId, new Migration(MigrationId, MigrationKind.Resize, A.Host, Tiny, Medium, VmState.Active,
            Guid.NewGuid()), Launched.AddHours(1)),
        new ServerResizeScheduled(A.ServerId, MigrationId, A.OtherHost, null),
        new ServerResizeStepStarted(A.ServerId, MigrationId, A.Host, TaskState.ResizeMigrating),
        new ServerResizeMigrated(A.ServerId, MigrationId, A.Host),
        new ServerResized(A.ServerId, MigrationId, A.OtherHost, ResizedAt),
    ];

    [Fact]
    public void A_server_that_never_launched_has_no_usage()
    {
        var periods = Fold(A.Created(), A.Scheduled(), A.BuildFailed(), new ServerDeleted(A.ServerId, DeletedAt));
        Assert.Empty(periods);
        Assert.Null(UsagePeriods.Within(periods, A.T0.AddDays(-1), A.T0.AddDays(1)));
    }

    [Fact]
    public void A_server_counts_from_its_launch_to_its_deletion_on_its_flavor()
    {
        var periods = Fold([.. Active(), new ServerDeleted(A.ServerId, DeletedAt)]);

        Assert.Equal([new UsagePeriod(Tiny, Launched, DeletedAt)], periods);
        var used = UsagePeriods.Within(periods, A.T0.AddDays(-1), A.T0.AddDays(1))!;
        Assert.Equal(new WindowUsage(10, 10 * Tiny.Vcpus, 10 * Tiny.RamMb, 10 * Tiny.DiskGb, Tiny), used);
    }

    [Fact]
    public void A_resized_server_counts_each_flavor_for_the_time_it_had_it()
    {
        var periods = Fold([.. ResizedToMedium(), new ServerResizeConfirmRequested(A.ServerId, MigrationId, A.Host),
            new ServerResizeConfirmed(A.ServerId, MigrationId, A.Host, ResizedAt.AddMinutes(3)), new ServerDeleted(A.ServerId, DeletedAt)]);

        Assert.Equal([new UsagePeriod(Tiny, Launched, ResizedAt), new UsagePeriod(Medium, ResizedAt, DeletedAt)], periods);
        var used = UsagePeriods.Within(periods, A.T0.AddDays(-1), A.T0.AddDays(1))!;
        // 2 h of m1.tiny, then 8 h of m1.medium; Nova would bill all 10 h as m1.medium.
        Assert.Equal(10, used.Hours, 9);
        Assert.Equal(2 * 1 + 8 * 2, used.VcpuHours, 9);
        Assert.Equal(2 * 512 + 8 * 4096, used.MemoryMbHours, 9);
        Assert.Equal(2 * 1 + 8 * 40, used.LocalGbHours, 9);
        Assert.Equal(Medium, used.Flavor);
    }

    [Fact]
    public void A_reverted_resize_goes_back_to_the_old_flavor_when_the_target_let_go()
    {
        var periods = Fold([.. ResizedToMedium(), new ServerResizeRevertRequested(A.ServerId, MigrationId, A.OtherHost),
            new Stored(new ServerResizeRolledBackOnTarget(A.ServerId, MigrationId, A.OtherHost), RevertedAt),
            new ServerResizeReverted(A.ServerId, MigrationId, A.Host, RevertedAt.AddMinutes(1))]);

        Assert.Equal([new UsagePeriod(Tiny, Launched, ResizedAt), new UsagePeriod(Medium, ResizedAt, RevertedAt), new UsagePeriod(Tiny, RevertedAt, null)],
            periods);
    }

    [Fact]
    public void A_window_counts_only_its_part_of_each_period_and_shows_the_flavor_the_server_had_last_in_it()
    {
        var periods = Fold([.. ResizedToMedium(), new ServerDeleted(A.ServerId, DeletedAt)]);

        // One hour before the resize, one after it.
        var across = UsagePeriods.Within(periods, ResizedAt.AddHours(-1), ResizedAt.AddHours(1))!;
        Assert.Equal((2.0, 512.0 + 4096.0, Medium), (across.Hours, across.MemoryMbHours, across.Flavor));
        // Entirely before the resize: the old flavor alone.
        var before = UsagePeriods.Within(periods, Launched.AddMinutes(30), Launched.AddMinutes(90))!;
        Assert.Equal((1.0, 512.0, Tiny), (before.Hours, before.MemoryMbHours, before.Flavor));
        // A server still running counts up to the window's end.
        var running = UsagePeriods.Within(Fold(Active()), Launched, Launched.AddHours(3))!;
        Assert.Equal(3, running.Hours, 9);
    }

    [Fact]
    public void A_window_before_the_launch_or_after_the_deletion_has_no_usage()
    {
        var periods = Fold([.. Active(), new ServerDeleted(A.ServerId, DeletedAt)]);
        Assert.Null(UsagePeriods.Within(periods, A.T0.AddDays(-2), Launched));
        Assert.Null(UsagePeriods.Within(periods, DeletedAt, DeletedAt.AddDays(1)));
    }
}
