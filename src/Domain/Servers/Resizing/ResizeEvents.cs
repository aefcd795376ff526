using Nova.Domain.Flavors;

namespace Nova.Domain.Servers;

// resize / migrate: ACTIVE or SHUTOFF → (resize_prep: the scheduler claims the target) → (resize_migrating: the source
// powers the guest off and hands its disk over) → (resize_migrated) → (resize_finish: the target builds the guest with
// the new flavor) → VERIFY_RESIZE, holding a claim on both hosts.
// confirmResize: the source's guest and claim go; revertResize: the target's go and the source's guest runs again.
// Any failure before VERIFY_RESIZE leaves the server on its source with its old flavor and the source claim only.

public enum MigrationKind { Resize, Migrate }

/// <summary>
/// A resize or cold migration in progress: what the server moves from and to, and what it returns to.
/// <paramref name="TransferImageId"/>: the image the source's disk is handed over as (created queued with the request).
/// <paramref name="ResumeState"/>: Active or Stopped, the state the server returns to after confirm, revert or a failure.
/// </summary>
public sealed record Migration(
    Guid Id, MigrationKind Kind, string SourceHost, FlavorSpec OldFlavor, FlavorSpec NewFlavor, VmState ResumeState,
    Guid TransferImageId, string? RequestedHost = null, string? TargetHost = null, string? TargetZone = null,
    string? SourceZone = null)
{
    public bool SameHost => TargetHost == SourceHost;
    public PowerState ResumePowerState => ResumeState == VmState.Active ? PowerState.Running : PowerState.Shutdown;
    public ServerAction Action => Kind == MigrationKind.Migrate ? ServerAction.Migrate : ServerAction.Resize;
}

/// <summary>The resize (or migrate) was accepted; the scheduler is to find and claim a target for <see cref="Migration.NewFlavor"/>.</summary>
public sealed record ServerResizeRequested(Guid ServerId, Migration Migration, DateTimeOffset RequestedAt) : IServerEvent;

/// <summary>The scheduler claimed <paramref name="TargetHost"/> for the new flavor (in the same transaction).</summary>
public sealed record ServerResizeScheduled(Guid ServerId, Guid MigrationId, string TargetHost, string? Zone) : IServerEvent;

/// <summary>A host moved the resize on: resize_migrating (the source), resize_finish (the target).</summary>
public sealed record ServerResizeStepStarted(Guid ServerId, Guid MigrationId, string Host, TaskState Step) : IServerEvent;

/// <summary>The source powered its guest off and handed the disk over; the target is asked to finish.</summary>
public sealed record ServerResizeMigrated(Guid ServerId, Guid MigrationId, string SourceHost) : IServerEvent;

/// <summary>The guest runs (or stands, when it was stopped) on the target with the new flavor: VERIFY_RESIZE.</summary>
public sealed record ServerResized(Guid ServerId, Guid MigrationId, string TargetHost, DateTimeOffset At) : IServerEvent;

/// <summary>confirmResize accepted: the source is asked to remove its guest.</summary>
public sealed record ServerResizeConfirmRequested(Guid ServerId, Guid MigrationId, string SourceHost) : IServerEvent;

/// <summary>The source's guest is gone (or the control plane gave up waiting for it): the source claim is released.</summary>
public sealed record ServerResizeConfirmed(Guid ServerId, Guid MigrationId, string SourceHost, DateTimeOffset At) : IServerEvent;

/// <summary>revertResize accepted: the target is asked to remove its guest.</summary>
public sealed record ServerResizeRevertRequested(Guid ServerId, Guid MigrationId, string TargetHost) : IServerEvent;

/// <summary>
/// The target's guest is gone (or the target did not answer, or it failed to finish the resize): the target claim is
/// released, and the source is asked to bring its guest back with the old flavor.
/// </summary>
public sealed record ServerResizeRolledBackOnTarget(Guid ServerId, Guid MigrationId, string TargetHost, string? Failure = null) : IServerEvent;

/// <summary>The server is back on its source with its old flavor.</summary>
public sealed record ServerResizeReverted(Guid ServerId, Guid MigrationId, string SourceHost, DateTimeOffset At) : IServerEvent;

/// <summary>
/// The resize ended before the target ran anything (no valid host, the source failed or did not answer): the server
/// stays on its source with its old flavor; a target claim is released.
/// </summary>
public sealed record ServerResizeFailed(Guid ServerId, Guid MigrationId, string? TargetHost, ServerFault Fault) : IServerEvent;

public static class ResizeEvents
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(ServerResizeRequested), typeof(ServerResizeScheduled), typeof(ServerResizeStepStarted), typeof(ServerResizeMigrated),
        typeof(ServerResized), typeof(ServerResizeConfirmRequested), typeof(ServerResizeConfirmed), typeof(ServerResizeRevertRequested),
        typeof(ServerResizeRolledBackOnTarget), typeof(ServerResizeReverted), typeof(ServerResizeFailed),
    ];

    /// <summary>Evolve for the resize events; null for any other event.</summary>
    public static Server? Evolve(Server state, object @event) => @event switch
    {
        ServerResizeRequested e => state with { TaskState = Servers.TaskState.ResizePrep, Migration = e.Migration },
        ServerResizeScheduled e => state with { Migration = state.Migration! with { TargetHost = e.TargetHost, TargetZone = e.Zone } },
        ServerResizeStepStarted e => state with { TaskState = e.Step },
        ServerResizeMigrated => state with { TaskState = Servers.TaskState.ResizeMigrated },
        ServerResized e => state with
        {
            VmState = VmState.Resized, TaskState = null, Host = e.TargetHost, HostZone = state.Migration!.TargetZone ?? state.HostZone,
            Flavor = state.Migration.NewFlavor, Fault = null,
            PowerState = state.Migration.ResumePowerState,
        },
        ServerResizeConfirmRequested => state with { TaskState = Servers.TaskState.ResizeConfirming },
        ServerResizeConfirmed => state with { VmState = state.Migration!.ResumeState, TaskState = null, Migration = null },
        ServerResizeRevertRequested => state with { TaskState = Servers.TaskState.ResizeReverting },
        // Back on the source with the old flavor; the task goes on while the source brings its guest back.
        ServerResizeRolledBackOnTarget => OnSource(state) with { TaskState = Servers.TaskState.ResizeReverting, Migration = state.Migration },
        ServerResizeReverted => OnSource(state) with { PowerState = state.Migration!.ResumePowerState },
        ServerResizeFailed => OnSource(state),
        _ => null,
    };

    /// <summary>The server on its source with its old flavor, as before the migration started.</summary>
    private static Server OnSource(Server state) => state with
    {
        VmState = state.Migration!.ResumeState, TaskState = null, Migration = null, Host = state.Migration.SourceHost,
        HostZone = state.Migration.SourceZone ?? state.HostZone, Flavor = state.Migration.OldFlavor,
    };
}
