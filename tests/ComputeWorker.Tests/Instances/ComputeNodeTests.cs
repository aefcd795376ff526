using Nova.ComputeWorker.Drivers.Fake;
using Nova.ComputeWorker.Instances;

namespace Nova.ComputeWorker.Tests.Instances;

public class ComputeNodeTests
{
    private static readonly Guid Server1 = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid Server2 = Guid.Parse("22222222-2222-2222-2222-222222222222");

    /// <summary>Only a guard against a hung test; no assertion depends on how long anything takes.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private static OperationJournal Journal() =>
        new(Path.Combine(Path.GetTempPath(), "nova-journal-" + Guid.NewGuid().ToString("N")[..10]), "fake-1");

    private static ComputeNode Node() => new("fake-1", new FakeDriver(new FakeDriverOptions()), Journal());

    [Fact]
    public void A_node_exposes_its_name_and_driver()
    {
        var driver = new FakeDriver(new FakeDriverOptions());

        var node = new ComputeNode("compute-7", driver, Journal());

        Assert.Equal("compute-7", node.Name);
        Assert.Same(driver, node.Driver);
    }

    // ---- Lock ------------------------------------------------------------------------------------

    [Fact]
    public async Task Lock_serialises_two_holders_for_the_same_server()
    {
        var node = Node();
        var order = new List<string>();
        var firstHolds = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = Task.Run(async () =>
        {
            using (await node.Lock(Server1, CancellationToken.None))
            {
                lock (order) order.Add("first in");
                firstHolds.SetResult();
                await releaseFirst.Task;
                lock (order) order.Add("first out");
            }
        });
        await firstHolds.Task.WaitAsync(HangGuard);

        // Ask for the lock now, on this thread, while the first holder is known to hold it.
        var secondLock = node.Lock(Server1, CancellationToken.None);
        var second = Task.Run(async () =>
        {
            using (await secondLock)
                lock (order) order.Add("second in");
        });

        // The second holder is parked on the lock, not racing a sleep: it can only proceed once the first leaves.
        Assert.False(secondLock.IsCompleted);
        Assert.False(second.IsCompleted);
        lock (order) Assert.Equal(["first in"], order);

        releaseFirst.SetResult();
        await Task.WhenAll(first, second).WaitAsync(HangGuard);

        Assert.Equal(["first in", "first out", "second in"], order);
    }

    [Fact]
    public async Task A_waiter_for_a_held_lock_gets_it_once_the_holder_disposes()
    {
        var node = Node();
        var held = await node.Lock(Server1, CancellationToken.None);

        var waiting = node.Lock(Server1, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        held.Dispose();
        var acquired = await waiting.WaitAsync(HangGuard);
        Assert.True(waiting.IsCompletedSuccessfully);

        // and it is exclusive again: a third caller waits behind the new holder
        var third = node.Lock(Server1, CancellationToken.None);
        Assert.False(third.IsCompleted);
        acquired.Dispose();
        (await third.WaitAsync(HangGuard)).Dispose();
    }

    [Fact]
    public async Task Lock_does_not_serialise_different_servers()
    {
        var node = Node();
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstHolds = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = Task.Run(async () =>
        {
            using (await node.Lock(Server1, CancellationToken.None))
            {
                firstHolds.SetResult();
                await releaseFirst.Task;
            }
        });
        await firstHolds.Task.WaitAsync(HangGuard);

        // Server1 is still held (releaseFirst is never set before this): Server2's lock must not wait for it.
        using (await node.Lock(Server2, CancellationToken.None).WaitAsync(HangGuard))
            Assert.False(first.IsCompleted);

        releaseFirst.SetResult();
        await first.WaitAsync(HangGuard);
    }

    [Fact]
    public async Task Lock_can_be_taken_again_after_it_is_released()
    {
        var node = Node();

        (await node.Lock(Server1, CancellationToken.None)).Dispose();
        var again = node.Lock(Server1, CancellationToken.None);

        (await again.WaitAsync(HangGuard)).Dispose();
        Assert.True(again.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_waiter_for_a_held_lock_can_be_cancelled_and_does_not_take_the_lock()
    {
        var node = Node();
        var held = await node.Lock(Server1, CancellationToken.None);
        using var cts = new CancellationTokenSource();

        var waiting = node.Lock(Server1, cts.Token);
        Assert.False(waiting.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(HangGuard));

        // the cancelled waiter took nothing: the next caller still waits for the original holder only
        var next = node.Lock(Server1, CancellationToken.None);
        Assert.False(next.IsCompleted);
        held.Dispose();
        (await next.WaitAsync(HangGuard)).Dispose();
    }

    // ---- MarkTerminated / WasTerminated -------------------------------------------------------------

    [Fact]
    public void A_server_never_terminated_was_not_terminated()
    {
        var node = Node();

        Assert.False(node.WasTerminated(Server1));
    }

    [Fact]
    public void MarkTerminated_is_remembered_for_that_server_only()
    {
        var node = Node();

        node.MarkTerminated(Server1);

        Assert.True(node.WasTerminated(Server1));
        Assert.False(node.WasTerminated(Server2));
    }

    [Fact]
    public void MarkTerminated_twice_is_still_terminated()
    {
        var node = Node();

        node.MarkTerminated(Server1);
        node.MarkTerminated(Server1);

        Assert.True(node.WasTerminated(Server1));
    }

    [Fact]
    public void Terminations_are_remembered_per_node()
    {
        var node = Node();
        var other = Node();

        node.MarkTerminated(Server1);

        Assert.False(other.WasTerminated(Server1));
    }

    [Fact]
    public async Task A_terminated_server_can_still_be_locked()
    {
        var node = Node();
        node.MarkTerminated(Server1);

        var locked = node.Lock(Server1, CancellationToken.None);

        (await locked.WaitAsync(HangGuard)).Dispose();
        Assert.True(node.WasTerminated(Server1));
    }
}
