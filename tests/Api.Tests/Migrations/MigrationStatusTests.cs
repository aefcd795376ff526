using Nova.Domain.Flavors;
using Nova.Domain.Servers;
using Nova.Projections.Migrations;
using static Nova.Projections.Migrations.MigrationStatus;

namespace Nova.Api.Tests.Migrations;

/// <summary>Given a migration's status, when a resize event happens, then Nova's status it has.</summary>
public sealed class MigrationStatusTests
{
    private static readonly Guid Server = Guid.NewGuid(), Id = Guid.NewGuid();
    private static readonly FlavorSpec Tiny = DefaultFlavors.All[0], Small = DefaultFlavors.All[1];
    private static readonly Migration Move = new(Id, MigrationKind.Resize, "src", Tiny, Small, VmState.Active, Guid.NewGuid());

    public static IEnumerable<object?[]> Steps() =>
    [
        [null, new ServerResizeRequested(Server, Move, DateTimeOffset.UtcNow), PreMigrating],
        [PreMigrating, new ServerResizeScheduled(Server, Id, "dst", null), PreMigrating],
        [PreMigrating, new ServerResizeStepStarted(Server, Id, "src", TaskState.ResizeMigrating), Migrating],
        [Migrating, new ServerResizeMigrated(Server, Id, "src"), PostMigrating],
        // The source may hand over without reporting its step first.
        [PreMigrating, new ServerResizeMigrated(Server, Id, "src"), PostMigrating],
        [PostMigrating, new ServerResizeStepStarted(Server, Id, "dst", TaskState.ResizeFinish), PostMigrating],
        [PostMigrating, new ServerResized(Server, Id, "dst", DateTimeOffset.UtcNow), Finished],
        [Finished, new ServerResizeConfirmRequested(Server, Id, "src"), Confirming],
        [Confirming, new ServerResizeConfirmed(Server, Id, "src", DateTimeOffset.UtcNow), Confirmed],
        // A same-host confirm: both in one decision.
        [Finished, new ServerResizeConfirmed(Server, Id, "src", DateTimeOffset.UtcNow), Confirmed],
        [Finished, new ServerResizeRevertRequested(Server, Id, "dst"), Reverting],
        [Reverting, new ServerResizeRolledBackOnTarget(Server, Id, "dst"), Reverted],
        [Reverting, new ServerResizeRolledBackOnTarget(Server, Id, "dst", "the target did not answer"), Reverted],
        [Reverted, new ServerResizeReverted(Server, Id, "src", DateTimeOffset.UtcNow), Reverted],
        // The target failed to finish (or never answered): an error, which the way back does not undo.
        [PostMigrating, new ServerResizeRolledBackOnTarget(Server, Id, "dst", "finish failed"), Error],
        [Error, new ServerResizeReverted(Server, Id, "src", DateTimeOffset.UtcNow), Error],
        [PreMigrating, new ServerResizeFailed(Server, Id, null, new ServerFault(500, ServerFault.NoValidHost)), Error],
        [Migrating, new ServerResizeFailed(Server, Id, "dst", new ServerFault(500, "power off failed")), Error],
        // Not a resize event: no change.
        [Finished, new ServerLocked(Server, "admin", null), Finished],
    ];

    [Theory]
    [MemberData(nameof(Steps))]
    public void Each_step_sets_novas_status(string? given, object when, string then) =>
        Assert.Equal(then, MigrationStatus.After(given, when));
}
