using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nova.Commands.Requests;
using Nova.Domain.Servers;
using IMediator = Mediator.IMediator;

namespace Nova.Commands.Servers.Resizing;

/// <summary>
/// Nova's resize_confirm_window (<c>Nova:ResizeConfirmWindow</c>, seconds; 0, the default, never): a server left in
/// VERIFY_RESIZE longer than that is confirmed as its user's confirmResize would. Each pass reads only the resizes
/// finished since the last one (the first pass all of them), so a control plane that was down catches up.
/// </summary>
public sealed class ResizeConfirmWindowSweep(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock,
    ILogger<ResizeConfirmWindowSweep> log) : BackgroundService
{
    private readonly int window = config.GetValue("Nova:ResizeConfirmWindow", 0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (window <= 0) return;
        var since = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(window / 2, 1, 60)), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var cutoff = clock.GetUtcNow().AddSeconds(-window);
            try
            {
                await Sweep(since, cutoff, stoppingToken);
                since = cutoff;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Confirming resizes past resize_confirm_window failed, next pass retries: {Error}", e.Message);
            }
        }
    }

    private async Task Sweep(DateTimeOffset since, DateTimeOffset cutoff, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IDocumentStore>();
        var resized = store.Options.Events.AllKnownEventTypes().Single(t => t.EventType == typeof(ServerResized)).EventTypeName;
        IReadOnlyList<IEvent> finished;
        await using (var query = store.QuerySession())
            finished = await query.Events.QueryAllRawEvents()
                .Where(e => e.EventTypeName == resized && e.Timestamp > since && e.Timestamp <= cutoff)
                .ToListAsync(ct);
        foreach (var done in finished)
        {
            await using var serverScope = scopes.CreateAsyncScope();
            serverScope.ServiceProvider.GetRequiredService<Caller>()
                .Become(new ComputeRpc.RequestContext(Caller.NewRequestId(), "nova", "service"), isAdmin: true);
            await using (var query = store.QuerySession())
            {
                var server = await query.Events.AggregateStreamAsync<Server>(done.StreamId, token: ct);
                // Confirmed, reverted or resized again since: not this resize's to confirm.
                if (server is not { VmState: VmState.Resized, TaskState: null, Migration: { } m } || m.Id != ((ServerResized)done.Data).MigrationId)
                    continue;
            }
            try
            {
                await serverScope.ServiceProvider.GetRequiredService<IMediator>().Send(new ConfirmServerResize(done.StreamId), ct);
                log.LogInformation("Confirming the resize of {ServerId}, in VERIFY_RESIZE since {At}", done.StreamId, done.Timestamp);
            }
            catch (Exception e) when (e is ServerConflict or ServerNotFound)
            {
                // A user acted first (confirm, revert, delete): nothing to confirm.
            }
        }
    }
}
