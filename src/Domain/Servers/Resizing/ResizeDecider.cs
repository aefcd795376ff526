using Nova.Domain.Flavors;

namespace Nova.Domain.Servers;

public abstract partial record ServerCommand
{
    /// <summary>
    /// <paramref name="MigrationId"/> and <paramref name="TransferImageId"/> are derived from the request, so a retried
    /// request names the same migration.
    /// </summary>
    public sealed record Resize(Requester By, FlavorSpec NewFlavor, Guid MigrationId, Guid TransferImageId, DateTimeOffset Now) : ServerCommand;
    /// <summary>A cold migration (admin): the same flavor on another host, <paramref name="Host"/> when the admin names one (2.56).</summary>
    public sealed record Migrate(Requester By, string? Host, Guid MigrationId, Guid TransferImageId, DateTimeOffset Now) : ServerCommand;
    public sealed record ConfirmResize(Requester By, DateTimeOffset Now) : ServerCommand;
    public sealed record RevertResize(Requester By) : ServerCommand;

    // Host reports
    public sealed record RecordResizeStep(string Host, TaskState Step) : ServerCommand;
    public sealed record RecordResizeMigrated(string Host) : ServerCommand;
    public sealed record RecordResized(string Host, DateTimeOffset Now) : ServerCommand;
    public sealed record RecordResizeConfirmed(string Host, DateTimeOffset Now) : ServerCommand;
    /// <summary>The target removed its guest after a revert (or a failed finish).</summary>
    public sealed record RecordResizeRolledBack(string Host) : ServerCommand;
    public sealed record RecordResizeReverted(string Host, DateTimeOffset Now) : ServerCommand;
    /// <summary>A host could not do its step of the resize; it has undone what it did.</summary>
    public sealed record RecordResizeFailed(string Host, string Message, DateTimeOffset Now) : ServerCommand;
}

/// <summary>Nova's resize state rules: who may ask, and which report moves a migration on.</summary>
public static class ResizeDecider
{
    private static readonly object[] Nothing = [];

    public static bool IsUserCommand(ServerCommand command) => command is ServerCommand.Resize or ServerCommand.Migrate
        or ServerCommand.ConfirmResize or ServerCommand.RevertResize;

    /// <summary>The events for a resize command; null when <paramref name="command"/> is not one.</summary>
    public static IReadOnlyList<object>? Decide(ServerCommand command, Server state)
    {
        var id = state.Id;
        var m = state.Migration;
        return command switch
        {
            ServerCommand.Resize c => Request(state, c.By, ServerAction.Resize, () => ResizeTo(state, c)),
            ServerCommand.Migrate c => Request(state, c.By, ServerAction.Migrate, () =>
                c.Host is not null && c.Host == state.Host
                    ? throw new InvalidServerRequest($"The target host {c.Host} is the host the instance is already on.")
                    : new ServerResizeRequested(id, new Migration(c.MigrationId, MigrationKind.Migrate, state.Host!, state.Flavor,
                        state.Flavor, state.VmState, c.TransferImageId, c.Host, SourceZone: state.HostZone), c.Now)),
            ServerCommand.ConfirmResize c => Verify(state, c.By, ServerAction.ConfirmResize, () => m!.SameHost
                ? [new ServerResizeConfirmRequested(id, m.Id, m.SourceHost), new ServerResizeConfirmed(id, m.Id, m.SourceHost, c.Now)]
                : [new ServerResizeConfirmRequested(id, m.Id, m.SourceHost)]),
            ServerCommand.RevertResize c => Verify(state, c.By, ServerAction.RevertResize, () => m!.SameHost
                ? [new ServerResizeRevertRequested(id, m.Id, m.TargetHost!), new ServerResizeRolledBackOnTarget(id, m.Id, m.TargetHost!)]
                : [new ServerResizeRevertRequested(id, m.Id, m.TargetHost!)]),

            ServerCommand.RecordScheduled c when AwaitsPlacement(state) => [new ServerResizeScheduled(id, m!.Id, c.Host, c.Zone)],
            ServerCommand.RecordSchedulingFailed c when AwaitsPlacement(state) => [new ServerResizeFailed(id, m!.Id, null, c.Fault)],
            ServerCommand.RecordResizeStep { Step: TaskState.ResizeMigrating } c =>
                m is { TargetHost: not null } && c.Host == m.SourceHost && state.TaskState == TaskState.ResizePrep
                    ? [new ServerResizeStepStarted(id, m.Id, c.Host, c.Step)] : Nothing,
            ServerCommand.RecordResizeStep { Step: TaskState.ResizeFinish } c =>
                m is not null && c.Host == m.TargetHost && state.TaskState == TaskState.ResizeMigrated
                    ? [new ServerResizeStepStarted(id, m.Id, c.Host, c.Step)] : Nothing,
            ServerCommand.RecordResizeStep => Nothing,
            ServerCommand.RecordResizeMigrated c =>
                m is { TargetHost: not null } && c.Host == m.SourceHost && state.TaskState is TaskState.ResizePrep or TaskState.ResizeMigrating
                    ? [new ServerResizeMigrated(id, m.Id, c.Host)] : Nothing,
            ServerCommand.RecordResized c =>
                m is not null && c.Host == m.TargetHost && state.TaskState is TaskState.ResizeMigrated or TaskState.ResizeFinish
                    ? [new ServerResized(id, m.Id, c.Host, c.Now)] : Nothing,
            ServerCommand.RecordResizeConfirmed c =>
                m is not null && c.Host == m.SourceHost && state.TaskState == TaskState.ResizeConfirming
                    ? [new ServerResizeConfirmed(id, m.Id, c.Host, c.Now)] : Nothing,
            ServerCommand.RecordResizeRolledBack c =>
                m is not null && c.Host == m.TargetHost && state.TaskState == TaskState.ResizeReverting && state.Host == m.TargetHost
                    ? [new ServerResizeRolledBackOnTarget(id, m.Id, c.Host)] : Nothing,
            ServerCommand.RecordResizeReverted c =>
                m is not null && c.Host == m.SourceHost && state.TaskState == TaskState.ResizeReverting && state.Host == m.SourceHost
                    ? [new ServerResizeReverted(id, m.Id, c.Host, c.Now)] : Nothing,
            ServerCommand.RecordResizeFailed c => Failed(state, c.Host, c.Message, c.Now),
            _ => null,
        };
    }

    /// <summary>A report or the scheduler's answer for a migration: only while it waits for one.</summary>
    public static bool AwaitsPlacement(Server state) =>
        state.TaskState == TaskState.ResizePrep && state.Migration is { TargetHost: null };

    /// <summary>
    /// The end of a resize step nobody answered: before the target ran anything the resize fails on the source; a
    /// target that does not finish is rolled back; a confirm or a revert goes on without the silent host (its guest,
    /// if any is left, is an orphan the host's reconciliation removes).
    /// </summary>
    public static IReadOnlyList<object>? TimedOut(Server state, string message, DateTimeOffset now)
    {
        if (state.Migration is not { } m) return null;
        var id = state.Id;
        return state.TaskState switch
        {
            TaskState.ResizePrep or TaskState.ResizeMigrating => [new ServerResizeFailed(id, m.Id, m.TargetHost, new ServerFault(500, message))],
            TaskState.ResizeMigrated or TaskState.ResizeFinish => [new ServerResizeRolledBackOnTarget(id, m.Id, m.TargetHost!, message)],
            TaskState.ResizeConfirming => [new ServerResizeConfirmed(id, m.Id, m.SourceHost, now)],
            TaskState.ResizeReverting when state.Host == m.TargetHost => [new ServerResizeRolledBackOnTarget(id, m.Id, m.TargetHost!, message)],
            TaskState.ResizeReverting => [new ServerResizeReverted(id, m.Id, m.SourceHost, now),
                new ServerActionFailed(id, m.SourceHost, ServerAction.RevertResize, message)],
            _ => null,
        };
    }

    private static IReadOnlyList<object> Failed(Server state, string host, string message, DateTimeOffset now)
    {
        if (state.Migration is not { } m) return Nothing;
        var id = state.Id;
        return state.TaskState switch
        {
            // The source undid its power-off before it reported.
            TaskState.ResizePrep or TaskState.ResizeMigrating when host == m.SourceHost && m.TargetHost is not null =>
                [new ServerResizeFailed(id, m.Id, m.TargetHost, new ServerFault(500, message))],
            // The target removed what it had built; the source brings its guest back.
            TaskState.ResizeMigrated or TaskState.ResizeFinish when host == m.TargetHost =>
                [new ServerResizeRolledBackOnTarget(id, m.Id, host, message)],
            TaskState.ResizeReverting when host == m.TargetHost && state.Host == m.TargetHost =>
                [new ServerResizeRolledBackOnTarget(id, m.Id, host, message)],
            TaskState.ResizeReverting when host == m.SourceHost && state.Host == m.SourceHost =>
                [new ServerResizeReverted(id, m.Id, host, now), new ServerActionFailed(id, host, ServerAction.RevertResize, message)],
            // A source that cannot remove its old guest: the confirm stands (the orphan is reconciled away).
            TaskState.ResizeConfirming when host == m.SourceHost =>
                [new ServerResizeConfirmed(id, m.Id, host, now)],
            _ => Nothing,
        };
    }

    private static ServerResizeRequested ResizeTo(Server state, ServerCommand.Resize c)
    {
        if (c.NewFlavor.Id == state.Flavor.Id) throw new InvalidServerRequest("When resizing, instances must change flavor!");
        if (c.NewFlavor.DiskGb < state.Flavor.DiskGb && c.NewFlavor.DiskGb != 0)
            throw new InvalidServerRequest("Resizing to a smaller disk flavor is not allowed.");
        return new ServerResizeRequested(state.Id, new Migration(c.MigrationId, MigrationKind.Resize, state.Host!, state.Flavor,
            c.NewFlavor, state.VmState, c.TransferImageId, SourceZone: state.HostZone), c.Now);
    }

    private static IReadOnlyList<object> Request(Server state, Requester by, ServerAction action, Func<object> decide)
    {
        if (state.Locked && !by.IsAdmin) throw ServerConflict.IsLocked(state.Id);
        if (state.VmState is not (VmState.Active or VmState.Stopped) || state.TaskState is not null || state.Host is null)
            throw ServerConflict.InvalidState(action, state);
        return [decide()];
    }

    private static IReadOnlyList<object> Verify(Server state, Requester by, ServerAction action, Func<IReadOnlyList<object>> decide)
    {
        if (state.Locked && !by.IsAdmin) throw ServerConflict.IsLocked(state.Id);
        if (state.VmState != VmState.Resized || state.TaskState is not null || state.Migration is null)
            throw ServerConflict.InvalidState(action, state);
        return decide();
    }
}
