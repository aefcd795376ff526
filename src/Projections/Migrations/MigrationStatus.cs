using Nova.Domain.Servers;

namespace Nova.Projections.Migrations;

/// <summary>
/// Nova's migration statuses for a resize or cold migration, and which step sets which (nova/conductor/tasks/migrate.py,
/// nova/compute/manager.py, resource_tracker.py): the conductor creates the record <c>pre-migrating</c>; the source sets
/// <c>migrating</c> when it starts and <c>post-migrating</c> once the disk is handed over; the target sets <c>finished</c>
/// (VERIFY_RESIZE); confirmResize sets <c>confirming</c>, the source <c>confirmed</c>; revertResize sets <c>reverting</c>,
/// the target <c>reverted</c> once its guest is gone and the source again when the guest is back; any failure <c>error</c>.
/// </summary>
public static class MigrationStatus
{
    public const string PreMigrating = "pre-migrating";
    public const string Migrating = "migrating";
    public const string PostMigrating = "post-migrating";
    public const string Finished = "finished";
    public const string Confirming = "confirming";
    public const string Confirmed = "confirmed";
    public const string Reverting = "reverting";
    public const string Reverted = "reverted";
    public const string Error = "error";

    /// <summary>The status after <paramref name="event"/>, from <paramref name="status"/> (null before the request).</summary>
    public static string? After(string? status, object @event) => @event switch
    {
        ServerResizeRequested => PreMigrating,
        // Nova keeps post-migrating while the target finishes (finish_resize sets finished at its end).
        ServerResizeStepStarted { Step: TaskState.ResizeMigrating } => Migrating,
        ServerResizeMigrated => PostMigrating,
        ServerResized => Finished,
        ServerResizeConfirmRequested => Confirming,
        ServerResizeConfirmed => Confirmed,
        ServerResizeRevertRequested => Reverting,
        // During a revert the target's claim is dropped (Nova's drop_move_claim_at_dest sets reverted there); outside one
        // the target failed to finish (or never answered), which Nova's finish_resize records as error.
        ServerResizeRolledBackOnTarget => status == Reverting ? Reverted : Error,
        // Back on the source: the end of a revert, or of a failed finish, which stays an error.
        ServerResizeReverted => status == Error ? Error : Reverted,
        ServerResizeFailed => Error,
        _ => status,
    };
}
