using Nova.ComputeWorker.Instances;

namespace Nova.ComputeWorker.Drivers.Libvirt;

/// <summary>
/// Nova's image cache manager: every interval, each libvirt host removes cached base images that no instance
/// disk uses and that have been unused for <see cref="LibvirtDriverOptions.ImageCacheMaxUnusedAge"/>.
/// </summary>
public sealed class ImageCachePruning(IEnumerable<ComputeNode> nodes, ILogger<ImageCachePruning> log) : BackgroundService
{
    /// <summary>Nova's <c>image_cache.manager_interval</c> default.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2400);

    /// <summary>Before any build: a crash mid-download or mid-conversion leaves temporaries nobody else would remove until the first prune.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var driver in nodes.Select(n => n.Driver).OfType<LibvirtDriver>())
        {
            try
            {
                var removed = driver.RemoveAbandonedTemporaries();
                if (removed.Count > 0)
                    log.LogInformation("Removed {Count} temporary files left by an earlier worker: {Files}", removed.Count, removed);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.LogWarning("Removing abandoned temporary files failed: {Error}", e.Message);
            }
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var driver in nodes.Select(n => n.Driver).OfType<LibvirtDriver>())
            {
                try
                {
                    var result = await driver.PruneImageCache(stoppingToken);
                    foreach (var disk in result.UnreadableDisks)
                        log.LogWarning("Image cache pruning skipped instance disk {Disk}: qemu-img cannot read it", disk);
                    if (result.RemovedBases.Count > 0)
                        log.LogInformation("Removed {Count} unused cached images", result.RemovedBases.Count);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning("Image cache pruning failed: {Error}", e.Message);
                }
            }
        }
    }
}
