namespace Nova.ComputeWorker.Images.Tests.Support;

/// <summary>
/// Stands in for the image registry download: copies a local file into the stream the cache gives it, counts
/// how often it is asked, and can be held open until the test releases it.
/// </summary>
public sealed class ImageSource(string file)
{
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int fetches;
    private bool held;

    public int Fetches => Volatile.Read(ref fetches);

    /// <summary>Completes when a fetch has begun writing.</summary>
    public Task Started => started.Task;

    /// <summary>Makes every fetch wait (after writing its first bytes) until <see cref="Release"/>.</summary>
    public ImageSource Hold()
    {
        held = true;
        return this;
    }

    public void Release() => released.TrySetResult();

    public async Task Fetch(Stream target, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref fetches);
        await using var source = File.OpenRead(file);
        var head = new byte[Math.Min(4096, source.Length)];
        await source.ReadExactlyAsync(head, cancellationToken);
        await target.WriteAsync(head, cancellationToken);
        await target.FlushAsync(cancellationToken);
        started.TrySetResult();
        if (held) await released.Task.WaitAsync(cancellationToken);
        await source.CopyToAsync(target, cancellationToken);
    }
}
