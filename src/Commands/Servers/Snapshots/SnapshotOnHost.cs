using Marten;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Relay;
using Nova.Commands.Servers.Reporting;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Snapshots;

public sealed class ImageCreateRequestedRelay : IRelayRule<ServerImageCreateRequested>
{
    /// <summary>The disk is converted and uploaded as an image.</summary>
    public TimeSpan Deadline => TimeSpan.FromMinutes(10);

    public ValueTask<RelayedMessage?> Translate(ServerImageCreateRequested e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult<RelayedMessage?>(context.ToHost(e.Host,
            new SnapshotInstance(e.ServerId, context.Request, e.ImageId, ServerAction.CreateImage)));
}

public sealed class BackupRequestedRelay : IRelayRule<ServerBackupRequested>
{
    /// <summary>The disk is converted and uploaded as an image.</summary>
    public TimeSpan Deadline => TimeSpan.FromMinutes(10);

    public ValueTask<RelayedMessage?> Translate(ServerBackupRequested e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult<RelayedMessage?>(context.ToHost(e.Host,
            new SnapshotInstance(e.ServerId, context.Request, e.ImageId, ServerAction.CreateBackup)));
}

public sealed class SnapshotStepReport : IHostReportRule<InstanceSnapshotStepStarted>
{
    public ServerCommand Decide(InstanceSnapshotStepStarted report, DateTimeOffset now) => new ServerCommand.RecordSnapshotStep(report.Host, report.Step);
}

/// <summary>The image is stored; a backup's rotation deletes the server's oldest backups of its type in the same transaction.</summary>
public sealed class SnapshottedReport(IConfiguration config) : IHostReportRule<InstanceSnapshotted>
{
    public ServerCommand Decide(InstanceSnapshotted report, DateTimeOffset now) => new ServerCommand.RecordSnapshotted(report.Host);

    public Task Alongside(IDocumentSession session, InstanceSnapshotted report, Server before, IReadOnlyList<object> events, CancellationToken ct) =>
        before.Snapshot is { Action: ServerAction.CreateBackup } backup
            ? BackupRotation.Rotate(session, config, before.Id, backup, ct)
            : Task.CompletedTask;
}
