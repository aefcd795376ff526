using Marten;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Hosts;
using Nova.Commands.Relay;
using Nova.Commands.Servers.Reporting;
using Nova.ComputeRpc;
using Nova.Domain.Servers;

namespace Nova.Commands.Servers.Shelving;

public sealed class ShelveRequestedRelay : IRelayRule<ServerShelveRequested>
{
    /// <summary>The disk is uploaded as an image.</summary>
    public TimeSpan Deadline => TimeSpan.FromMinutes(10);

    public ValueTask<RelayedMessage?> Translate(ServerShelveRequested e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult<RelayedMessage?>(context.ToHost(e.Host, new ShelveInstance(e.ServerId, context.Request, e.ImageId)));
}

public sealed class ShelveStepReport : IHostReportRule<InstanceShelveStepStarted>
{
    public ServerCommand Decide(InstanceShelveStepStarted report, DateTimeOffset now) => new ServerCommand.RecordShelveStep(report.Host, report.Step);
}

/// <summary>Shelved; with shelved_offload_time 0 the host is asked in the same decision to offload it.</summary>
public sealed class ShelvedReport(IConfiguration config) : IHostReportRule<InstanceShelved>
{
    private readonly ShelveOptions options = ShelveOptions.From(config);

    public ServerCommand Decide(InstanceShelved report, DateTimeOffset now) => new ServerCommand.RecordShelved(report.Host, now, options.OffloadAtOnce);
}

/// <summary>The shelve failed on the host: the task ends, the server keeps its state, the half-written image is deleted.</summary>
public sealed class ShelveFailedReport(IConfiguration config) : IHostReportRule<InstanceShelveFailed>
{
    public ServerCommand Decide(InstanceShelveFailed report, DateTimeOffset now) =>
        new ServerCommand.RecordActionFailed(report.Host, ServerAction.Shelve, report.Message);

    public Task Alongside(IDocumentSession session, InstanceShelveFailed report, Server before, IReadOnlyList<object> events, CancellationToken ct)
    {
        if (before.ShelveImageId is { } image) ShelveImages.Delete(session, config, image);
        return Task.CompletedTask;
    }
}

public sealed class ShelveOffloadRequestedRelay : IRelayRule<ServerShelveOffloadRequested>
{
    public ValueTask<RelayedMessage?> Translate(ServerShelveOffloadRequested e, RelayContext context, CancellationToken ct) =>
        ValueTask.FromResult<RelayedMessage?>(context.ToHost(e.Host, new ShelveOffloadInstance(e.ServerId, context.Request)));
}

/// <summary>Nothing of the server is left on the host: its claim there is released in the same transaction.</summary>
public sealed class ShelveOffloadedReport : IHostReportRule<InstanceShelveOffloaded>
{
    public ServerCommand Decide(InstanceShelveOffloaded report, DateTimeOffset now) => new ServerCommand.RecordShelveOffloaded(report.Host);

    public Task Alongside(IDocumentSession session, InstanceShelveOffloaded report, Server before, IReadOnlyList<object> events, CancellationToken ct) =>
        HostClaims.Release(session, report.Host, report.ServerId, buildFailed: false, ct);
}

/// <summary>A shelved server is unshelved where it is; an offloaded one needs the scheduler first.</summary>
public sealed class UnshelveRequestedRelay : IRelayRule<ServerUnshelveRequested>
{
    /// <summary>The shelved image is downloaded again.</summary>
    public TimeSpan Deadline => TimeSpan.FromMinutes(10);

    public async ValueTask<RelayedMessage?> Translate(ServerUnshelveRequested e, RelayContext context, CancellationToken ct)
    {
        if (e.Host is null) return context.ToScheduler(new ScheduleInstance(e.ServerId, context.Request));
        return await UnshelveOn(e.Host, e.ServerId, context, ct);
    }

    internal static async Task<RelayedMessage?> UnshelveOn(string host, Guid serverId, RelayContext context, CancellationToken ct)
    {
        if (await context.CurrentServer(serverId, ct) is not { ShelveImageId: { } image } server) return null;
        return context.ToHost(host, new UnshelveInstance(serverId, context.Request, server.Name, server.Flavor, image.ToString(), server.Networks));
    }
}

public sealed class UnshelveScheduledRelay : IRelayRule<ServerUnshelveScheduled>
{
    /// <summary>The shelved image is downloaded again.</summary>
    public TimeSpan Deadline => TimeSpan.FromMinutes(10);

    public async ValueTask<RelayedMessage?> Translate(ServerUnshelveScheduled e, RelayContext context, CancellationToken ct) =>
        await UnshelveRequestedRelay.UnshelveOn(e.Host, e.ServerId, context, ct);
}

/// <summary>The server runs again: its shelve image is deleted, as Nova does.</summary>
public sealed class UnshelvedReport(IConfiguration config) : IHostReportRule<InstanceUnshelved>
{
    public ServerCommand Decide(InstanceUnshelved report, DateTimeOffset now) => new ServerCommand.RecordUnshelved(report.Host, now);

    public Task Alongside(IDocumentSession session, InstanceUnshelved report, Server before, IReadOnlyList<object> events, CancellationToken ct)
    {
        if (before.ShelveImageId is { } image) ShelveImages.Delete(session, config, image);
        return Task.CompletedTask;
    }
}

/// <summary>An offloaded server that could not be spawned stays offloaded, and the claim taken for it is released.</summary>
public sealed class UnshelveFailedReport : IHostReportRule<InstanceUnshelveFailed>
{
    public ServerCommand Decide(InstanceUnshelveFailed report, DateTimeOffset now) =>
        new ServerCommand.RecordUnshelveFailed(report.Host, new ServerFault(500, report.Message, report.Details));

    public Task Alongside(IDocumentSession session, InstanceUnshelveFailed report, Server before, IReadOnlyList<object> events, CancellationToken ct) =>
        events.OfType<ServerUnshelveFailed>().Any()
            ? HostClaims.Release(session, report.Host, report.ServerId, buildFailed: true, ct)
            : Task.CompletedTask;
}
