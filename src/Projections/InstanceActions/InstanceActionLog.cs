using JasperFx.Events;
using Marten.Events.Aggregation;
using Nova.Domain.Servers;
using Nova.Store;

namespace Nova.Projections.InstanceActions;

/// <summary>Nova's os-instance-actions for one server, projected from its events.</summary>
public sealed class InstanceActionLog
{
    public Guid Id { get; set; }
    public string ProjectId { get; set; } = "";
    public List<InstanceActionRecord> Actions { get; set; } = new();
}

public sealed class InstanceActionRecord
{
    public string Action { get; set; } = "";
    public string RequestId { get; set; } = "";
    public string? UserId { get; set; }
    public string? ProjectId { get; set; }
    public DateTimeOffset StartTime { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>"Error" once any of its events failed, as in Nova.</summary>
    public string? Message { get; set; }
    public List<InstanceActionEventRecord> Events { get; set; } = new();
}

public sealed class InstanceActionEventRecord
{
    public string Event { get; set; } = "";
    public DateTimeOffset StartTime { get; set; }
    public DateTimeOffset? FinishTime { get; set; }
    /// <summary>"Success" or "Error"; null while running.</summary>
    public string? Result { get; set; }
    public string? Host { get; set; }
    public string? Details { get; set; }
}

public partial class InstanceActionsProjection : SingleStreamProjection<InstanceActionLog, Guid>
{
    public InstanceActionsProjection()
    {
        foreach (var type in ServerEventTypes.All) IncludeType(type);
    }

    private const string ScheduleAndBuild = "conductor_schedule_and_build_instances";
    private const string BuildAndRun = "compute__do_build_and_run_instance";

    public override InstanceActionLog Evolve(InstanceActionLog? snapshot, Guid id, IEvent e)
    {
        var log = snapshot ?? new InstanceActionLog { Id = id };
        var at = e.Timestamp;
        switch (e.Data)
        {
            case ServerCreateRequested c:
                log.ProjectId = c.ProjectId;
                Begin(log, e, "create").Events.Add(new() { Event = ScheduleAndBuild, StartTime = at });
                break;
            case ServerScheduled s:
                Finish(Find(log, e, "create"), ScheduleAndBuild, at, success: true, host: s.Host);
                break;
            case ServerRescheduled r:
                // This attempt failed on its host; the conductor schedules the next one.
                var attempt = Find(log, e, "create");
                Finish(attempt, BuildAndRun, at, success: false, details: r.Fault.Message, failsAction: false);
                attempt?.Events.Add(new() { Event = ScheduleAndBuild, StartTime = at });
                break;
            case ServerSchedulingFailed f:
                Finish(Find(log, e, "create"), ScheduleAndBuild, at, success: false, details: f.Fault.Message);
                break;
            case ServerBuildStepStarted step:
                Open(Find(log, e, "create"), BuildAndRun, at, step.Host);
                break;
            case ServerBuilt b:
                Finish(Open(Find(log, e, "create"), BuildAndRun, at, b.Host), BuildAndRun, at, success: true);
                break;
            case ServerBuildFailed f:
                Finish(Open(Find(log, e, "create"), BuildAndRun, at, f.Host), BuildAndRun, at, success: false, details: f.Fault.Message);
                break;
            case IHostActionRequested r:
                var requested = Begin(log, e, NovaNames.Of(r.Requested()));
                if (r.Host is not null)
                    requested.Events.Add(new() { Event = NovaNames.ComputeEventOf(r.Requested()), StartTime = at, Host = r.Host });
                break;
            case ServerUnshelveScheduled u:
                // The scheduler's host for an offloaded server: its host event starts now.
                Open(Find(log, e, NovaNames.Of(ServerAction.Unshelve)), NovaNames.ComputeEventOf(ServerAction.Unshelve), at, u.Host);
                break;
            case ServerUnshelveFailed f:
                Finish(Find(log, e, NovaNames.Of(ServerAction.Unshelve)), NovaNames.ComputeEventOf(ServerAction.Unshelve), at,
                    success: false, details: f.Fault.Message);
                break;
            case ServerRebuildFailed f:
                Finish(Find(log, e, NovaNames.Of(ServerAction.Rebuild)), NovaNames.ComputeEventOf(ServerAction.Rebuild), at,
                    success: false, details: f.Fault.Message);
                break;
            case ServerActionFailed f:
                Finish(Find(log, e, NovaNames.Of(f.Action)), NovaNames.ComputeEventOf(f.Action), at, success: false, details: f.Message);
                break;
            case IHostActionCompleted done:
                Finish(Find(log, e, NovaNames.Of(done.Completed())), NovaNames.ComputeEventOf(done.Completed()), at, success: true);
                break;
            // Nova's resize_instance / finish_resize / confirm / revert events, under resize or migrate.
            case ServerResizeRequested r:
                Begin(log, e, r.Migration.Kind == MigrationKind.Migrate ? "migrate" : "resize")
                    .Events.Add(new() { Event = MigrateServer, StartTime = at });
                break;
            case ServerResizeScheduled s:
                Finish(Migration(log), MigrateServer, at, success: true, host: s.TargetHost);
                break;
            case ServerResizeStepStarted { Step: TaskState.ResizeMigrating } step:
                Open(Migration(log), ResizeInstance, at, step.Host);
                break;
            case ServerResizeStepStarted step:
                Open(Migration(log), FinishResize, at, step.Host);
                break;
            case ServerResizeMigrated m:
                Finish(Open(Migration(log), ResizeInstance, at, m.SourceHost), ResizeInstance, at, success: true);
                break;
            case ServerResized r:
                Finish(Open(Migration(log), FinishResize, at, r.TargetHost), FinishResize, at, success: true);
                break;
            case ServerResizeFailed f:
                FinishOpen(Migration(log), at, f.Fault.Message);
                break;
            case ServerResizeConfirmRequested c:
                Begin(log, e, "confirmResize").Events.Add(new() { Event = ConfirmResize, StartTime = at, Host = c.SourceHost });
                break;
            case ServerResizeConfirmed:
                Finish(Find(log, e, "confirmResize"), ConfirmResize, at, success: true);
                break;
            case ServerResizeRevertRequested r:
                Begin(log, e, "revertResize").Events.Add(new() { Event = RevertResize, StartTime = at, Host = r.TargetHost });
                break;
            case ServerResizeRolledBackOnTarget r when Find(log, e, "revertResize") is { } revert && revert.StartTime >= (Migration(log)?.StartTime ?? default):
                Finish(revert, RevertResize, at, success: r.Failure is null, details: r.Failure);
                Open(revert, FinishRevertResize, at, host: null);
                break;
            case ServerResizeRolledBackOnTarget r:
                // The target failed to finish: the resize ends in error and the source takes its guest back.
                FinishOpen(Migration(log), at, r.Failure ?? "The resize was rolled back.");
                break;
            case ServerResizeReverted r:
                if (Find(log, e, "revertResize") is { } reverted && reverted.StartTime >= (Migration(log)?.StartTime ?? default))
                    Finish(reverted, FinishRevertResize, at, success: true, host: r.SourceHost);
                break;
            case ServerLocked:
                Begin(log, e, "lock");
                break;
            case ServerUnlocked:
                Begin(log, e, "unlock");
                break;
            case ServerDeleteRequested d:
                var delete = Begin(log, e, "delete");
                if (d.Host is not null)
                    delete.Events.Add(new() { Event = "compute_terminate_instance", StartTime = at, Host = d.Host });
                break;
            case ServerDeleted:
                Finish(Find(log, e, "delete"), "compute_terminate_instance", at, success: true);
                // A delete ends whatever was still running (a build, a stop): no action is left open, as in
                // Nova where the build aborts because the instance disappeared.
                foreach (var action in log.Actions)
                foreach (var open in action.Events.Where(x => x.FinishTime is null).ToList())
                    Finish(action, open.Event, at, success: false,
                        details: action.Action == "create" ? "Instance disappeared during build." : "Instance was deleted during the action.");
                break;
        }
        return log;
    }

    private const string MigrateServer = "conductor_migrate_server";
    private const string ResizeInstance = "compute_resize_instance";
    private const string FinishResize = "compute_finish_resize";
    private const string ConfirmResize = "compute_confirm_resize";
    private const string RevertResize = "compute_revert_resize";
    private const string FinishRevertResize = "compute_finish_revert_resize";

    /// <summary>The latest resize or migrate action: its steps come from hosts under their own request ids.</summary>
    private static InstanceActionRecord? Migration(InstanceActionLog log) => log.Actions.LastOrDefault(a => a.Action is "resize" or "migrate");

    /// <summary>Every event of the action still running ends in error.</summary>
    private static void FinishOpen(InstanceActionRecord? action, DateTimeOffset at, string details)
    {
        if (action is null) return;
        foreach (var open in action.Events.Where(x => x.FinishTime is null).ToList())
            Finish(action, open.Event, at, success: false, details: details);
    }

    private static InstanceActionRecord Begin(InstanceActionLog log, IEvent e, string action)
    {
        var record = new InstanceActionRecord
        {
            Action = action,
            RequestId = e.CorrelationId ?? $"req-{e.Id}",
            UserId = e.GetHeader(EventHeaders.UserId)?.ToString(),
            ProjectId = e.GetHeader(EventHeaders.ProjectId)?.ToString(),
            StartTime = e.Timestamp,
            UpdatedAt = e.Timestamp,
        };
        log.Actions.Add(record);
        return record;
    }

    /// <summary>The action a report belongs to: by request id, else the latest action of that name.</summary>
    private static InstanceActionRecord? Find(InstanceActionLog log, IEvent e, string action) =>
        log.Actions.LastOrDefault(a => a.Action == action && a.RequestId == e.CorrelationId)
        ?? log.Actions.LastOrDefault(a => a.Action == action);

    /// <summary>Starts the event unless this attempt already has it running (one per build attempt).</summary>
    private static InstanceActionRecord? Open(InstanceActionRecord? action, string name, DateTimeOffset at, string? host)
    {
        if (action is not null && !action.Events.Any(x => x.Event == name && x.FinishTime is null))
        {
            action.Events.Add(new() { Event = name, StartTime = at, Host = host });
            action.UpdatedAt = at;
        }
        return action;
    }

    private static void Finish(InstanceActionRecord? action, string name, DateTimeOffset at, bool success,
        string? host = null, string? details = null, bool failsAction = true)
    {
        if (action is null) return;
        var ev = action.Events.LastOrDefault(x => x.Event == name && x.FinishTime is null);
        if (ev is null) return;
        ev.FinishTime = at;
        ev.Result = success ? "Success" : "Error";
        ev.Host ??= host;
        ev.Details = details;
        action.UpdatedAt = at;
        if (!success && failsAction) action.Message = "Error";
    }
}
