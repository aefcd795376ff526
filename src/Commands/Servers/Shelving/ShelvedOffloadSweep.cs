using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nova.Commands.Servers.Deadlines;
using Nova.Domain.Servers;
using IMediator = Mediator.IMediator;

namespace Nova.Commands.Servers.Shelving;

/// <summary>
/// Nova's _poll_shelved_instances, for a positive shelved_offload_time: servers shelved longer than that are
/// offloaded, as an admin's shelveOffload would.
/// </summary>
public sealed class ShelvedOffloadSweep(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, ILogger<ShelvedOffloadSweep> log)
    : AgedServerEventSweep<ServerShelved>(scopes, clock, log)
{
    protected override int AgeSeconds { get; } = ShelveOptions.From(config).OffloadTimeSeconds;

    protected override string Purpose => "Offloading shelved servers";

    // Unshelved, offloaded or shelved again since: not this shelve's to offload.
    protected override bool StillStands(Server server, ServerShelved shelved) =>
        server is { VmState: VmState.Shelved, TaskState: null } && server.ShelvedAt == shelved.ShelvedAt;

    protected override Task Act(IMediator mediator, Guid serverId, CancellationToken ct) =>
        mediator.Send(new ShelveOffloadServer(serverId), ct).AsTask();
}
