using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nova.Commands.Servers.Deadlines;
using Nova.Domain.Servers;
using IMediator = Mediator.IMediator;

namespace Nova.Commands.Servers.Resizing;

/// <summary>
/// Nova's resize_confirm_window (<c>Nova:ResizeConfirmWindow</c>, seconds; 0, the default, never): a server left in
/// VERIFY_RESIZE longer than that is confirmed as its user's confirmResize would.
/// </summary>
public sealed class ResizeConfirmWindowSweep(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock,
    ILogger<ResizeConfirmWindowSweep> log) : AgedServerEventSweep<ServerResized>(scopes, clock, log)
{
    protected override int AgeSeconds { get; } = config.GetValue("Nova:ResizeConfirmWindow", 0);

    protected override string Purpose => "Confirming resizes past resize_confirm_window";

    // Confirmed, reverted or resized again since: not this resize's to confirm.
    protected override bool StillStands(Server server, ServerResized resized) =>
        server is { VmState: VmState.Resized, TaskState: null, Migration: { } m } && m.Id == resized.MigrationId;

    protected override Task Act(IMediator mediator, Guid serverId, CancellationToken ct) =>
        mediator.Send(new ConfirmServerResize(serverId), ct).AsTask();
}
