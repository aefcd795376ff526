using System.Collections.Concurrent;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;

namespace Nova.Api.Health;

/// <summary>
/// Counts what the projection daemon does, from its shard-state feed: how far each shard has advanced
/// since this process started (events processed) and how often a shard failed (paused or faulted on an
/// error). Read by /metrics.
/// </summary>
public sealed class DaemonActivity(IProjectionCoordinator coordinator, ILogger<DaemonActivity> log) : IHostedService, IObserver<ShardState>
{
    private readonly ConcurrentDictionary<string, long> processed = new();
    private readonly ConcurrentDictionary<string, long> errors = new();
    private readonly ConcurrentDictionary<string, long> last = new();
    private IDisposable? subscription;

    public IProjectionDaemon? Daemon { get; private set; }
    public IReadOnlyDictionary<string, long> Processed => processed;
    public IReadOnlyDictionary<string, long> Errors => errors;

    public Task StartAsync(CancellationToken ct)
    {
        try
        {
            Daemon = coordinator.DaemonForMainDatabase();
            subscription = Daemon.Tracker.Subscribe(this);
        }
        catch (Exception e)
        {
            // Metrics must never stop the control plane from starting; /healthz reports the daemon as missing.
            log.LogWarning("Cannot observe the projection daemon: {Error}", e.Message);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct)
    {
        subscription?.Dispose();
        return Task.CompletedTask;
    }

    public void OnNext(ShardState state)
    {
        if (state.ShardName == ShardState.HighWaterMark) return;
        switch (state.Action)
        {
            case ShardAction.Updated:
                var previous = last.GetOrAdd(state.ShardName, state.Sequence);
                if (state.Sequence > previous)
                {
                    processed.AddOrUpdate(state.ShardName, state.Sequence - previous, (_, n) => n + state.Sequence - previous);
                    last[state.ShardName] = state.Sequence;
                }
                break;
            case ShardAction.Paused or ShardAction.Faulted:
                errors.AddOrUpdate(state.ShardName, 1, (_, n) => n + 1);
                break;
            case ShardAction.Stopped when state.Exception is not null:
                errors.AddOrUpdate(state.ShardName, 1, (_, n) => n + 1);
                break;
        }
    }

    public void OnError(Exception error) => log.LogWarning("Projection daemon state feed failed: {Error}", error.Message);
    public void OnCompleted() { }
}
