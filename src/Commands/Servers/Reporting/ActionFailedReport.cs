using Marten;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Servers.Shelving;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Reporting;

/// <summary>Any action a host could not carry out: the decider ends its task as the action's rule says.</summary>
public sealed class ActionFailedReport(IConfiguration config) : IHostReportRule<InstanceActionFailed>
{
    public ServerCommand Decide(InstanceActionFailed report, DateTimeOffset now) =>
        new ServerCommand.RecordActionFailed(report.Host, report.Action, report.Message);

    /// <summary>A snapshot or backup that failed deletes the queued image it was writing.</summary>
    public Task Alongside(IDocumentSession session, InstanceActionFailed report, Server before, IReadOnlyList<object> events, CancellationToken ct)
    {
        if (before.Snapshot is { } snapshot && events.OfType<ServerActionFailed>().Any(f => f.Action == snapshot.Action))
            ShelveImages.Delete(session, config, snapshot.ImageId);
        return Task.CompletedTask;
    }
}
