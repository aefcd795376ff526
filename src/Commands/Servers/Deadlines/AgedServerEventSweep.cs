using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nova.Commands.Requests;
using Nova.Domain.Servers;
using IMediator = Mediator.IMediator;

namespace Nova.Commands.Servers.Deadlines;

/// <summary>
/// A periodic pass that acts, as an admin would, on every server whose <typeparamref name="TEvent"/> is older than
/// <see cref="AgeSeconds"/> and still stands (the server has not moved on since). Each pass reads only the events
/// recorded since the last one (the first pass all of them), so a control plane that was down catches up.
/// A non-positive age switches the sweep off.
/// </summary>
public abstract class AgedServerEventSweep<TEvent>(IServiceScopeFactory scopes, TimeProvider clock, ILogger log) : BackgroundService
    where TEvent : class
{
    protected abstract int AgeSeconds { get; }

    /// <summary>What the sweep does, for its log lines ("offloading shelved servers").</summary>
    protected abstract string Purpose { get; }

    /// <summary>Whether <paramref name="recorded"/> is still the server's latest word on the matter.</summary>
    protected abstract bool StillStands(Server server, TEvent recorded);

    /// <summary>The admin action the sweep takes; a user who acted first makes it a conflict, which is ignored.</summary>
    protected abstract Task Act(IMediator mediator, Guid serverId, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var age = AgeSeconds;
        if (age <= 0) return;
        var since = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(age / 2, 1, 60)), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var cutoff = clock.GetUtcNow().AddSeconds(-age);
            try
            {
                await Sweep(since, cutoff, stoppingToken);
                since = cutoff;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("{Purpose} failed, next pass retries: {Error}", Purpose, e.Message);
            }
        }
    }

    private async Task Sweep(DateTimeOffset since, DateTimeOffset cutoff, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IDocumentStore>();
        var typeName = store.Options.Events.AllKnownEventTypes().Single(t => t.EventType == typeof(TEvent)).EventTypeName;
        IReadOnlyList<IEvent> aged;
        await using (var query = store.QuerySession())
            aged = await query.Events.QueryAllRawEvents()
                .Where(e => e.EventTypeName == typeName && e.Timestamp > since && e.Timestamp <= cutoff)
                .ToListAsync(ct);
        foreach (var recorded in aged)
        {
            await using var serverScope = scopes.CreateAsyncScope();
            serverScope.ServiceProvider.GetRequiredService<Caller>()
                .Become(new ComputeRpc.RequestContext(Caller.NewRequestId(), "nova", "service"), isAdmin: true);
            await using (var query = store.QuerySession())
            {
                var server = await query.Events.AggregateStreamAsync<Server>(recorded.StreamId, token: ct);
                if (server is null || !StillStands(server, (TEvent)recorded.Data)) continue;
            }
            try
            {
                await Act(serverScope.ServiceProvider.GetRequiredService<IMediator>(), recorded.StreamId, ct);
                log.LogInformation("{Purpose}: {ServerId}, recorded at {At}", Purpose, recorded.StreamId, recorded.Timestamp);
            }
            catch (Exception e) when (e is ServerConflict or ServerNotFound)
            {
                // A user acted first (or deleted the server): nothing left to do.
            }
        }
    }
}
