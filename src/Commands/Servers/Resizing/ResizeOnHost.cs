using Marten;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Relay;
using Nova.Commands.Servers.Reporting;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Resizing;

// Each step of a resize or migration asks one host (or the scheduler) for one thing, and each report moves it on.

/// <summary>The scheduler claims a target for the new flavor before anything moves.</summary>
public sealed class ResizeRequestedRelay : IRelayRule<ServerResizeRequested>
{
    /// <summary>A choice takes milliseconds; a minute means the scheduler is not there.</summary>
    public TimeSpan Deadline => TimeSpan.FromMinutes(1);

    public ValueTask<RelayedMessage?> Translate(ServerResizeRequested e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult<RelayedMessage?>(context.ToScheduler(new ScheduleInstance(e.ServerId, context.Request)));
}

/// <summary>With the target claimed, the source powers the guest off and hands its disk over.</summary>
public sealed class ResizeScheduledRelay : IRelayRule<ServerResizeScheduled>
{
    /// <summary>The disk is uploaded as an image.</summary>
    public TimeSpan Deadline => TimeSpan.FromMinutes(10);

    public async ValueTask<RelayedMessage?> Translate(ServerResizeScheduled e, RelayContext context, CancellationToken ct) =>
        await context.CurrentServer(e.ServerId, ct) is { Migration: { } m } && m.Id == e.MigrationId
            ? context.ToHost(m.SourceHost, new ResizeInstance(e.ServerId, context.Request, m.TransferImageId, e.TargetHost))
            : null;
}

/// <summary>The disk is handed over: the target builds the guest with the new flavor.</summary>
public sealed class ResizeMigratedRelay : IRelayRule<ServerResizeMigrated>
{
    /// <summary>The disk is downloaded again.</summary>
    public TimeSpan Deadline => TimeSpan.FromMinutes(10);

    public async ValueTask<RelayedMessage?> Translate(ServerResizeMigrated e, RelayContext context, CancellationToken ct) =>
        await context.CurrentServer(e.ServerId, ct) is { Migration: { TargetHost: { } target } m } server && m.Id == e.MigrationId
            ? context.ToHost(target, new FinishResizeInstance(e.ServerId, context.Request, server.Name, m.NewFlavor, m.TransferImageId,
                server.Networks, PowerOn: m.ResumeState == VmState.Active, m.SameHost))
            : null;
}

public sealed class ResizeConfirmRequestedRelay : IRelayRule<ServerResizeConfirmRequested>
{
    public async ValueTask<RelayedMessage?> Translate(ServerResizeConfirmRequested e, RelayContext context, CancellationToken ct)
    {
        // On one host the confirm is recorded at once; the host still drops the guest it kept for a revert.
        var sameHost = await context.CurrentServer(e.ServerId, ct) is not { Migration: { } m } || m.SameHost;
        return context.ToHost(e.SourceHost, new ConfirmResizeInstance(e.ServerId, context.Request, sameHost));
    }
}

public sealed class ResizeRevertRequestedRelay : IRelayRule<ServerResizeRevertRequested>
{
    public async ValueTask<RelayedMessage?> Translate(ServerResizeRevertRequested e, RelayContext context, CancellationToken ct) =>
        await context.CurrentServer(e.ServerId, ct) is { Migration: { } m } && m.Id == e.MigrationId && !m.SameHost
            ? context.ToHost(e.TargetHost, new RevertResizeInstance(e.ServerId, context.Request, SameHost: false))
            : null; // one host: the rolled-back event that came with it asks the host
}

/// <summary>
/// The target let go (a revert, or a finish that failed): the source brings its guest back. On one host the kept guest
/// is restored first, in the same message order.
/// </summary>
public sealed class ResizeRolledBackOnTargetRelay : IRelayRule<ServerResizeRolledBackOnTarget>
{
    public async ValueTask<RelayedMessage?> Translate(ServerResizeRolledBackOnTarget e, RelayContext context, CancellationToken ct)
    {
        if (await context.CurrentServer(e.ServerId, ct) is not { Migration: { } m } || m.Id != e.MigrationId) return null;
        // One host, reverted by the user: the kept guest comes back and runs (the host does both, in order).
        if (m.SameHost && e.Failure is null)
            return context.ToHost(m.SourceHost, new RevertResizeInstance(e.ServerId, context.Request, SameHost: true,
                PowerOn: m.ResumeState == VmState.Active));
        return context.ToHost(m.SourceHost, new FinishRevertResizeInstance(e.ServerId, context.Request, m.ResumeState == VmState.Active));
    }
}

public sealed class ResizeStepReport : IHostReportRule<InstanceResizeStepStarted>
{
    public ServerCommand Decide(InstanceResizeStepStarted report, DateTimeOffset now) => new ServerCommand.RecordResizeStep(report.Host, report.Step);
}

public sealed class ResizeMigratedReport : IHostReportRule<InstanceResizeMigrated>
{
    public ServerCommand Decide(InstanceResizeMigrated report, DateTimeOffset now) => new ServerCommand.RecordResizeMigrated(report.Host);
}

public sealed class ResizedReport : IHostReportRule<InstanceResized>
{
    public ServerCommand Decide(InstanceResized report, DateTimeOffset now) => new ServerCommand.RecordResized(report.Host, now);
}

/// <summary>Every report that can end a migration settles its claims, quota and transfer image in the same transaction.</summary>
public abstract class MigrationEndingReport<TReport>(IConfiguration config) : IHostReportRule<TReport> where TReport : class, IHostReport
{
    public abstract ServerCommand Decide(TReport report, DateTimeOffset now);

    public Task Alongside(IDocumentSession session, TReport report, Server before, IReadOnlyList<object> events, CancellationToken ct) =>
        MigrationSettlement.Apply(session, config, before, events, ct);
}

public sealed class ResizeConfirmedReport(IConfiguration config) : MigrationEndingReport<InstanceResizeConfirmed>(config)
{
    public override ServerCommand Decide(InstanceResizeConfirmed report, DateTimeOffset now) => new ServerCommand.RecordResizeConfirmed(report.Host, now);
}

public sealed class ResizeRolledBackReport(IConfiguration config) : MigrationEndingReport<InstanceResizeRolledBack>(config)
{
    public override ServerCommand Decide(InstanceResizeRolledBack report, DateTimeOffset now) => new ServerCommand.RecordResizeRolledBack(report.Host);
}

public sealed class ResizeRevertedReport(IConfiguration config) : MigrationEndingReport<InstanceResizeReverted>(config)
{
    public override ServerCommand Decide(InstanceResizeReverted report, DateTimeOffset now) => new ServerCommand.RecordResizeReverted(report.Host, now);
}

public sealed class ResizeFailedReport(IConfiguration config) : MigrationEndingReport<InstanceResizeFailed>(config)
{
    public override ServerCommand Decide(InstanceResizeFailed report, DateTimeOffset now) =>
        new ServerCommand.RecordResizeFailed(report.Host, report.Message, now);
}
