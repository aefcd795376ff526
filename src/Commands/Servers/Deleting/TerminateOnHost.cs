using Marten;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Relay;
using Nova.Commands.Servers.Reporting;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Deleting;

/// <summary>Sent even after a local delete: a host that comes back still cleans up its instance.</summary>
public sealed class DeleteRequestedRelay : IRelayRule<ServerDeleteRequested>
{
    public ValueTask<RelayedMessage?> Translate(ServerDeleteRequested e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult(e.Host is { } host ? context.ToHost(host, new TerminateInstance(e.ServerId, context.Request)) : null);
}

/// <summary>The teardown is done: the server is deleted and gives back what it held (<see cref="ServerRemoval"/>).</summary>
public sealed class TerminatedReport(IConfiguration config) : IHostReportRule<InstanceTerminated>
{
    public ServerCommand Decide(InstanceTerminated report, DateTimeOffset now) => new ServerCommand.RecordDeleted(report.Host, now);

    public Task Alongside(IDocumentSession session, InstanceTerminated report, Server before, IReadOnlyList<object> events, CancellationToken ct) =>
        ServerRemoval.GiveBack(session, config, before, ct);
}
