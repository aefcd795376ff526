using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nova.Commands.Requests;
using Nova.Domain.Servers;
using IMediator = Mediator.IMediator;

namespace Nova.Commands.Servers.Shelving;

/// <summary>
/// Nova's _poll_shelved_instances, for a positive shelved_offload_time: servers shelved longer than that are
/// offloaded, as an admin's shelveOffload would. Each pass reads only the shelves recorded since the last one
/// (the first pass all of them), so a control plane that was down catches up.
/// </summary>
public sealed class ShelvedOffloadSweep(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, ILogger<ShelvedOffloadSweep> log)
    : BackgroundService
{
    private readonly ShelveOptions options = ShelveOptions.From(config);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.OffloadTimeSeconds <= 0) return;
        var since = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(options.OffloadTimeSeconds / 2, 1, 60)), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var cutoff = clock.GetUtcNow().AddSeconds(-options.OffloadTimeSeconds);
            try
            {
                await Sweep(since, cutoff, stoppingToken);
                since = cutoff;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Offload of shelved servers failed, next pass retries: {Error}", e.Message);
            }
        }
    }

    private async Task Sweep(DateTimeOffset since, DateTimeOffset cutoff, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IDocumentStore>();
        var shelved = store.Options.Events.AllKnownEventTypes().Single(t => t.EventType == typeof(ServerShelved)).EventTypeName;
        IReadOnlyList<IEvent> shelves;
        await using (var query = store.QuerySession())
            shelves = await query.Events.QueryAllRawEvents()
                .Where(e => e.EventTypeName == shelved && e.Timestamp > since && e.Timestamp <= cutoff)
                .ToListAsync(ct);
        foreach (var shelve in shelves)
        {
            await using var serverScope = scopes.CreateAsyncScope();
            var caller = serverScope.ServiceProvider.GetRequiredService<Caller>();
            caller.Become(new ComputeRpc.RequestContext(Caller.NewRequestId(), "nova", "service"), isAdmin: true);
            await using (var query = store.QuerySession())
            {
                var server = await query.Events.AggregateStreamAsync<Server>(shelve.StreamId, token: ct);
                // Unshelved, offloaded or shelved again since: not this shelve's to offload.
                if (server is not { VmState: VmState.Shelved, TaskState: null } || server.ShelvedAt != ((ServerShelved)shelve.Data).ShelvedAt) continue;
            }
            try
            {
                await serverScope.ServiceProvider.GetRequiredService<IMediator>().Send(new ShelveOffloadServer(shelve.StreamId), ct);
                log.LogInformation("Offloading {ServerId}, shelved at {ShelvedAt}", shelve.StreamId, shelve.Timestamp);
            }
            catch (Exception e) when (e is ServerConflict or ServerNotFound)
            {
                // A user acted first (unshelve, delete): nothing to offload.
            }
        }
    }
}
