using System.Diagnostics;
using Nova.ComputeWorker.Drivers;
using Nova.ComputeWorker.Drivers.Fake;
using Nova.Domain.Flavors;
using Nova.Domain.Hosts;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Tests.Drivers;

public class FakeDriverTests
{
    private static readonly Guid Server1 = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid Server2 = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly Guid Unknown = Guid.Parse("99999999-9999-9999-9999-999999999999");

    private static InstanceSpec Spec(Guid serverId) =>
        new(serverId, "web-1", DefaultFlavors.All[0], "cirros-0.6", "auto");

    private static FakeDriver Driver(int delayMs = 0, double spawnFailureRate = 0) =>
        new(new FakeDriverOptions { DelayMs = delayMs, SpawnFailureRate = spawnFailureRate });

    // ---- identity and capacity -------------------------------------------------------------------

    [Fact]
    public void Capacity_comes_from_the_options()
    {
        var driver = new FakeDriver(new FakeDriverOptions { Vcpus = 12, MemoryMb = 24576, DiskGb = 321 });

        Assert.Equal(new HostResources(12, 24576, 321), driver.Capacity);
    }

    [Fact]
    public void Capacity_defaults_to_the_size_Novas_fake_driver_reports()
    {
        var driver = new FakeDriver(new FakeDriverOptions());

        Assert.Equal(new HostResources(1000, 800000, 600000), driver.Capacity);
    }

    [Fact]
    public void It_reports_itself_as_the_fake_hypervisor()
    {
        var driver = Driver();

        Assert.Equal("fake", driver.HypervisorType);
        Assert.Equal("1000", driver.HypervisorVersion);
    }

    [Fact]
    public void A_new_driver_holds_no_instance()
    {
        var driver = Driver();

        Assert.Empty(driver.ListInstances());
        Assert.Null(driver.GetPowerState(Server1));
    }

    // ---- spawn -----------------------------------------------------------------------------------

    [Fact]
    public async Task Spawn_leaves_the_instance_running_and_listed()
    {
        var driver = Driver();

        await driver.Spawn(Spec(Server1), CancellationToken.None);

        Assert.Equal(PowerState.Running, driver.GetPowerState(Server1));
        Assert.Equal([Server1], driver.ListInstances());
    }

    [Fact]
    public async Task Spawning_two_instances_lists_both_and_leaves_each_running()
    {
        var driver = Driver();

        await driver.Spawn(Spec(Server1), CancellationToken.None);
        await driver.Spawn(Spec(Server2), CancellationToken.None);

        Assert.Equal(new[] { Server1, Server2 }.OrderBy(g => g), driver.ListInstances().OrderBy(g => g));
        Assert.Equal(PowerState.Running, driver.GetPowerState(Server1));
        Assert.Equal(PowerState.Running, driver.GetPowerState(Server2));
    }

    [Fact]
    public async Task Spawn_is_idempotent_for_an_instance_that_already_runs()
    {
        var driver = Driver();

        await driver.Spawn(Spec(Server1), CancellationToken.None);
        await driver.Spawn(Spec(Server1), CancellationToken.None);

        Assert.Equal([Server1], driver.ListInstances());
        Assert.Equal(PowerState.Running, driver.GetPowerState(Server1));
    }

    [Fact]
    public async Task Spawn_with_a_failure_rate_of_one_always_fails_and_leaves_no_domain()
    {
        var driver = Driver(spawnFailureRate: 1);

        for (var attempt = 0; attempt < 20; attempt++)
        {
            var error = await Assert.ThrowsAsync<HypervisorError>(() => driver.Spawn(Spec(Server1), CancellationToken.None));
            Assert.Contains(Server1.ToString(), error.Message);
        }

        Assert.Null(driver.GetPowerState(Server1));
        Assert.Empty(driver.ListInstances());
    }

    [Fact]
    public async Task Spawn_with_no_failure_rate_never_fails()
    {
        var driver = Driver(spawnFailureRate: 0);
        var servers = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToList();

        foreach (var server in servers) await driver.Spawn(Spec(server), CancellationToken.None);

        Assert.Equal(servers.OrderBy(g => g), driver.ListInstances().OrderBy(g => g));
    }

    // ---- power operations ------------------------------------------------------------------------

    [Fact]
    public async Task PowerOff_shuts_the_instance_down()
    {
        var driver = Driver();
        await driver.Spawn(Spec(Server1), CancellationToken.None);

        await driver.PowerOff(Server1, CancellationToken.None);

        Assert.Equal(PowerState.Shutdown, driver.GetPowerState(Server1));
        Assert.Equal([Server1], driver.ListInstances());
    }

    [Fact]
    public async Task PowerOn_runs_a_shut_down_instance_again()
    {
        var driver = Driver();
        await driver.Spawn(Spec(Server1), CancellationToken.None);
        await driver.PowerOff(Server1, CancellationToken.None);

        await driver.PowerOn(Server1, CancellationToken.None);

        Assert.Equal(PowerState.Running, driver.GetPowerState(Server1));
    }

    [Theory]
    [InlineData(RebootType.Soft)]
    [InlineData(RebootType.Hard)]
    public async Task Reboot_leaves_a_shut_down_instance_running(RebootType type)
    {
        var driver = Driver();
        await driver.Spawn(Spec(Server1), CancellationToken.None);
        await driver.PowerOff(Server1, CancellationToken.None);

        await driver.Reboot(Server1, type, CancellationToken.None);

        Assert.Equal(PowerState.Running, driver.GetPowerState(Server1));
    }

    [Theory]
    [InlineData(RebootType.Soft)]
    [InlineData(RebootType.Hard)]
    public async Task Reboot_leaves_a_running_instance_running(RebootType type)
    {
        var driver = Driver();
        await driver.Spawn(Spec(Server1), CancellationToken.None);

        await driver.Reboot(Server1, type, CancellationToken.None);

        Assert.Equal(PowerState.Running, driver.GetPowerState(Server1));
    }

    [Fact]
    public async Task A_power_operation_affects_only_its_own_instance()
    {
        var driver = Driver();
        await driver.Spawn(Spec(Server1), CancellationToken.None);
        await driver.Spawn(Spec(Server2), CancellationToken.None);

        await driver.PowerOff(Server1, CancellationToken.None);

        Assert.Equal(PowerState.Shutdown, driver.GetPowerState(Server1));
        Assert.Equal(PowerState.Running, driver.GetPowerState(Server2));
    }

    public static TheoryData<string> PowerOperations => new() { "PowerOff", "PowerOn", "RebootSoft", "RebootHard" };

    private static Task Run(FakeDriver driver, string operation, Guid serverId, CancellationToken ct) => operation switch
    {
        "PowerOff" => driver.PowerOff(serverId, ct),
        "PowerOn" => driver.PowerOn(serverId, ct),
        "RebootSoft" => driver.Reboot(serverId, RebootType.Soft, ct),
        "RebootHard" => driver.Reboot(serverId, RebootType.Hard, ct),
        "Destroy" => driver.Destroy(serverId, ct),
        "Spawn" => driver.Spawn(Spec(serverId), ct),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    [Theory]
    [MemberData(nameof(PowerOperations))]
    public async Task A_power_operation_on_an_unknown_instance_throws_a_hypervisor_error(string operation)
    {
        var driver = Driver();
        await driver.Spawn(Spec(Server1), CancellationToken.None);

        var error = await Assert.ThrowsAsync<HypervisorError>(() => Run(driver, operation, Unknown, CancellationToken.None));

        Assert.Contains(Unknown.ToString(), error.Message);
        Assert.Null(driver.GetPowerState(Unknown));
        Assert.Equal([Server1], driver.ListInstances());
        Assert.Equal(PowerState.Running, driver.GetPowerState(Server1));
    }

    [Theory]
    [MemberData(nameof(PowerOperations))]
    public async Task A_power_operation_on_a_destroyed_instance_throws_a_hypervisor_error(string operation)
    {
        var driver = Driver();
        await driver.Spawn(Spec(Server1), CancellationToken.None);
        await driver.Destroy(Server1, CancellationToken.None);

        await Assert.ThrowsAsync<HypervisorError>(() => Run(driver, operation, Server1, CancellationToken.None));

        Assert.Null(driver.GetPowerState(Server1));
    }

    [Fact]
    public async Task Console_output_of_an_unknown_instance_fails_the_returned_task_with_a_hypervisor_error()
    {
        var driver = Driver();

        // Not thrown at the call: a caller that starts the task and awaits it later still gets the failure there.
        var reading = driver.GetConsoleOutput(Unknown, lines: null, CancellationToken.None);

        await Assert.ThrowsAsync<HypervisorError>(() => reading);
    }

    // ---- destroy ---------------------------------------------------------------------------------

    [Fact]
    public async Task Destroy_removes_the_instance()
    {
        var driver = Driver();
        await driver.Spawn(Spec(Server1), CancellationToken.None);
        await driver.Spawn(Spec(Server2), CancellationToken.None);

        await driver.Destroy(Server1, CancellationToken.None);

        Assert.Null(driver.GetPowerState(Server1));
        Assert.Equal([Server2], driver.ListInstances());
        Assert.Equal(PowerState.Running, driver.GetPowerState(Server2));
    }

    [Fact]
    public async Task Destroy_removes_a_shut_down_instance_too()
    {
        var driver = Driver();
        await driver.Spawn(Spec(Server1), CancellationToken.None);
        await driver.PowerOff(Server1, CancellationToken.None);

        await driver.Destroy(Server1, CancellationToken.None);

        Assert.Null(driver.GetPowerState(Server1));
        Assert.Empty(driver.ListInstances());
    }

    [Fact]
    public async Task Destroy_of_an_absent_instance_is_a_no_op()
    {
        var driver = Driver();
        await driver.Spawn(Spec(Server1), CancellationToken.None);

        await driver.Destroy(Unknown, CancellationToken.None);
        await driver.Destroy(Unknown, CancellationToken.None);

        Assert.Equal([Server1], driver.ListInstances());
        Assert.Equal(PowerState.Running, driver.GetPowerState(Server1));
    }

    [Fact]
    public async Task Destroy_twice_is_a_no_op_the_second_time()
    {
        var driver = Driver();
        await driver.Spawn(Spec(Server1), CancellationToken.None);

        await driver.Destroy(Server1, CancellationToken.None);
        await driver.Destroy(Server1, CancellationToken.None);

        Assert.Empty(driver.ListInstances());
    }

    [Fact]
    public async Task A_destroyed_instance_can_be_spawned_again()
    {
        var driver = Driver();
        await driver.Spawn(Spec(Server1), CancellationToken.None);
        await driver.Destroy(Server1, CancellationToken.None);

        await driver.Spawn(Spec(Server1), CancellationToken.None);

        Assert.Equal(PowerState.Running, driver.GetPowerState(Server1));
    }

    // ---- delay -----------------------------------------------------------------------------------
    // Only ordering and lower bounds: nothing here asserts that an operation finishes quickly.

    public static TheoryData<string> AllOperations => new() { "Spawn", "PowerOff", "PowerOn", "RebootSoft", "RebootHard", "Destroy" };

    [Theory]
    [MemberData(nameof(AllOperations))]
    public async Task With_a_delay_an_operation_does_not_complete_or_take_effect_before_the_delay(string operation)
    {
        var options = new FakeDriverOptions();
        var driver = new FakeDriver(options);
        await driver.Spawn(Spec(Server1), CancellationToken.None);
        // start each operation from a state it would change: PowerOff from Running, the rest from Shutdown
        if (operation != "PowerOff") await driver.PowerOff(Server1, CancellationToken.None);
        var target = operation == "Spawn" ? Server2 : Server1;
        var before = driver.GetPowerState(target);
        options.DelayMs = (int)TimeSpan.FromMinutes(10).TotalMilliseconds; // far longer than the test: only cancellation ends it
        using var cts = new CancellationTokenSource();

        var pending = Run(driver, operation, target, cts.Token);

        Assert.False(pending.IsCompleted);
        Assert.Equal(before, driver.GetPowerState(target));

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Equal(before, driver.GetPowerState(target)); // a cancelled operation changed nothing
    }

    [Theory]
    [MemberData(nameof(AllOperations))]
    public async Task With_a_delay_an_operation_takes_at_least_that_long(string operation)
    {
        const int delayMs = 200;
        // Task.Delay rides a coarse system tick, so allow it to fire a few ms before the Stopwatch says 200.
        const int timerSlackMs = 25;
        var options = new FakeDriverOptions();
        var driver = new FakeDriver(options);
        await driver.Spawn(Spec(Server1), CancellationToken.None);
        var target = operation == "Spawn" ? Server2 : Server1;
        options.DelayMs = delayMs;

        var watch = Stopwatch.StartNew();
        await Run(driver, operation, target, CancellationToken.None);
        watch.Stop();

        Assert.True(watch.ElapsedMilliseconds >= delayMs - timerSlackMs,
            $"{operation} finished after {watch.ElapsedMilliseconds} ms, expected at least ~{delayMs} ms");
    }

    [Fact]
    public async Task With_a_delay_the_operation_still_takes_effect_once_the_delay_is_over()
    {
        var driver = Driver(delayMs: 20);

        await driver.Spawn(Spec(Server1), CancellationToken.None);
        Assert.Equal(PowerState.Running, driver.GetPowerState(Server1));
        await driver.PowerOff(Server1, CancellationToken.None);
        Assert.Equal(PowerState.Shutdown, driver.GetPowerState(Server1));
        await driver.Destroy(Server1, CancellationToken.None);
        Assert.Null(driver.GetPowerState(Server1));
    }

    [Fact]
    public void Without_a_delay_operations_complete_synchronously()
    {
        var driver = Driver(delayMs: 0);

        var spawn = driver.Spawn(Spec(Server1), CancellationToken.None);
        Assert.True(spawn.IsCompletedSuccessfully);
        var off = driver.PowerOff(Server1, CancellationToken.None);
        Assert.True(off.IsCompletedSuccessfully);
        var destroy = driver.Destroy(Server1, CancellationToken.None);
        Assert.True(destroy.IsCompletedSuccessfully);

        Assert.Empty(driver.ListInstances());
    }

    [Fact]
    public async Task A_failing_spawn_also_waits_for_the_delay_before_failing()
    {
        var driver = new FakeDriver(new FakeDriverOptions
        {
            DelayMs = (int)TimeSpan.FromMinutes(10).TotalMilliseconds,
            SpawnFailureRate = 1,
        });
        using var cts = new CancellationTokenSource();

        var pending = driver.Spawn(Spec(Server1), cts.Token);

        Assert.False(pending.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Null(driver.GetPowerState(Server1));
    }

    // ---- guests that outlive the process ---------------------------------------------------------------

    [Fact]
    public async Task Given_a_folder_its_guests_and_their_power_states_outlive_the_driver_and_a_destroy_is_kept_too()
    {
        var folder = Path.Combine(Path.GetTempPath(), "nova-fake-domains-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var first = new FakeDriver(new FakeDriverOptions(), folder);
            await first.Spawn(Spec(Server1), CancellationToken.None);
            await first.Spawn(Spec(Server2), CancellationToken.None);
            await first.PowerOff(Server1, CancellationToken.None);

            var restarted = new FakeDriver(new FakeDriverOptions(), folder);
            Assert.Equal(PowerState.Shutdown, restarted.GetPowerState(Server1));
            Assert.Equal(PowerState.Running, restarted.GetPowerState(Server2));

            await restarted.Destroy(Server2, CancellationToken.None);
            var again = new FakeDriver(new FakeDriverOptions(), folder);
            Assert.Equal([Server1], again.ListInstances());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Without_a_folder_a_new_driver_knows_nothing_of_the_last_ones_guests()
    {
        var first = Driver();
        await first.Spawn(Spec(Server1), CancellationToken.None);
        Assert.Empty(Driver().ListInstances());
    }
}
