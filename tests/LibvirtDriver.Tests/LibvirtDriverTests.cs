using System.Diagnostics;
using Nova.ComputeWorker.Drivers.Libvirt;
using Nova.ComputeWorker.Drivers;
using Nova.ComputeWorker.Images;
using Nova.DiskImages;
using Nova.Domain.Flavors;
using Nova.Domain.Servers;
using Nova.Libvirt;
using Nova.Libvirt.Tests.Support;

namespace Nova.ComputeWorker.Libvirt.Tests;

/// <summary>
/// The libvirt driver against the machine's libvirtd (qemu:///system) with real QEMU guests: a 64 MiB guest on an
/// overlay of a generated, unbootable qcow2 (QEMU runs it all the same), TCG or KVM as the host allows.
/// </summary>
public sealed class LibvirtDriverTests : IAsyncLifetime
{
    private const string Uri = "qemu:///system";
    private static readonly FlavorSpec Tiny = new("t1", "t1.test", Vcpus: 1, RamMb: 64, DiskGb: 1);

    private readonly string root = Path.Combine(Path.GetTempPath(), "nova-libvirt-" + Guid.NewGuid().ToString("N")[..8]);
    private ImageServer images = null!;
    private LibvirtDriver driver = null!;
    private readonly List<Guid> servers = new();
    private string ImageId { get; } = Guid.NewGuid().ToString();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(root);
        var source = Path.Combine(root, "source.qcow2");
        await Run("qemu-img", "create", "-q", "-f", "qcow2", source, "64M");
        images = await ImageServer.Start();
        images.Add(ImageId, source, "qcow2");
        var options = new LibvirtDriverOptions
        {
            Uri = Uri,
            InstancesPath = Path.Combine(root, "instances"),
            ImageServiceUrl = images.Url,
            ApiToken = "test-token",
            ShutdownTimeoutSeconds = 2,
            SoftRebootTimeoutSeconds = 2,
        };
        driver = new LibvirtDriver(options, new ImageCache(options.InstancesPath, new QemuImg()),
            new ImageService(new HttpClient(), options.ImageServiceUrl, options.ApiToken));
    }

    public async Task DisposeAsync()
    {
        foreach (var id in servers)
        {
            try { await driver.Destroy(id, CancellationToken.None); } catch (HypervisorError) { }
        }
        driver.Dispose();
        await images.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    private async Task<Guid> Spawn()
    {
        var id = Guid.NewGuid();
        servers.Add(id);
        await driver.Spawn(new InstanceSpec(id, "test-" + id.ToString("N")[..6], Tiny, ImageId, "none"), CancellationToken.None);
        return id;
    }

    [Fact]
    public async Task A_spawned_instance_runs_under_libvirt_with_its_overlay_and_console_log()
    {
        var id = await Spawn();

        Assert.Equal(PowerState.Running, driver.GetPowerState(id));
        Assert.Contains(id, driver.ListInstances());
        using var connection = LibvirtConnection.Open(Uri, readOnly: true);
        using var domain = connection.LookupByUuid(id);
        Assert.Equal(DomainXml.NameOf(id), domain.Name);
        Assert.Equal(64UL * 1024, domain.GetInfo().MaxMemoryKiB);
        var folder = driver.InstanceDirectory(id);
        Assert.True(File.Exists(Path.Combine(folder, "disk")));
        Assert.True(File.Exists(Path.Combine(folder, "console.log")));
        Assert.Contains("test-token", images.Tokens);
    }

    [Fact]
    public async Task Spawning_again_an_instance_that_runs_succeeds_and_keeps_it()
    {
        var id = await Spawn();

        await driver.Spawn(new InstanceSpec(id, "again", Tiny, ImageId, "none"), CancellationToken.None);

        Assert.Equal(PowerState.Running, driver.GetPowerState(id));
    }

    [Fact]
    public async Task Stop_start_reboot_and_delete_follow_novas_lifecycle()
    {
        var id = await Spawn();

        // The guest has no OS to answer ACPI: the graceful shutdown times out and the domain is destroyed.
        await driver.PowerOff(id, CancellationToken.None);
        Assert.Equal(PowerState.Shutdown, driver.GetPowerState(id));

        await driver.PowerOn(id, CancellationToken.None);
        Assert.Equal(PowerState.Running, driver.GetPowerState(id));

        await driver.Reboot(id, RebootType.Hard, CancellationToken.None);
        Assert.Equal(PowerState.Running, driver.GetPowerState(id));

        await driver.Destroy(id, CancellationToken.None);
        Assert.Null(driver.GetPowerState(id));
        Assert.DoesNotContain(id, driver.ListInstances());
        Assert.False(Directory.Exists(driver.InstanceDirectory(id)));
    }

    [Fact]
    public async Task A_soft_reboot_the_guest_ignores_falls_back_to_a_hard_reboot()
    {
        var id = await Spawn();
        var before = QemuProcessId(id);

        // No OS answers the ACPI shutdown: after the soft reboot's wait the domain is restarted hard.
        await driver.Reboot(id, RebootType.Soft, CancellationToken.None);

        Assert.Equal(PowerState.Running, driver.GetPowerState(id));
        Assert.NotEqual(before, QemuProcessId(id));
    }

    /// <summary>The QEMU process libvirt runs the domain in: a new one after every real (re)start.</summary>
    private static int QemuProcessId(Guid id) =>
        int.Parse(File.ReadAllText($"/run/libvirt/qemu/{DomainXml.NameOf(id)}.pid").Trim());

    [Fact]
    public async Task Pause_freezes_the_running_domain_and_unpause_lets_it_run()
    {
        var id = await Spawn();
        var process = QemuProcessId(id);

        await driver.Pause(id, CancellationToken.None);
        Assert.Equal(DomainState.Paused, StateOf(id));
        Assert.Equal(PowerState.Paused, driver.GetPowerState(id));
        await driver.Pause(id, CancellationToken.None); // a redelivery changes nothing

        await driver.Unpause(id, CancellationToken.None);
        Assert.Equal(DomainState.Running, StateOf(id));
        // The QEMU process stayed through it.
        Assert.Equal(process, QemuProcessId(id));
    }

    [Fact]
    public async Task Pausing_a_stopped_domain_is_a_hypervisor_error()
    {
        var id = await Spawn();
        await driver.PowerOff(id, CancellationToken.None);
        await Assert.ThrowsAsync<HypervisorError>(() => driver.Pause(id, CancellationToken.None));
    }

    [Fact]
    public async Task Suspend_saves_the_guest_and_ends_its_process_and_resume_restores_it()
    {
        var id = await Spawn();

        await driver.Suspend(id, CancellationToken.None);
        Assert.Equal(DomainState.Shutoff, StateOf(id));
        Assert.True(HasManagedSave(id));
        Assert.False(File.Exists($"/run/libvirt/qemu/{DomainXml.NameOf(id)}.pid"));
        await driver.Suspend(id, CancellationToken.None); // a redelivery changes nothing

        await driver.Resume(id, CancellationToken.None);
        Assert.Equal(DomainState.Running, StateOf(id));
        Assert.False(HasManagedSave(id));
        Assert.Equal("restored", RunningReason(id));
    }

    [Fact]
    public async Task A_hard_reboot_of_a_suspended_instance_boots_it_afresh()
    {
        var id = await Spawn();
        await driver.Suspend(id, CancellationToken.None);

        await driver.Reboot(id, RebootType.Hard, CancellationToken.None);

        Assert.Equal(DomainState.Running, StateOf(id));
        Assert.False(HasManagedSave(id));
        Assert.Equal("booted", RunningReason(id));
    }

    /// <summary>Why the domain runs, as virsh domstate --reason says it: "booted" or "restored".</summary>
    private static string RunningReason(Guid id)
    {
        using var virsh = Process.Start(new ProcessStartInfo("virsh", ["-c", Uri, "domstate", "--reason", id.ToString()])
            { RedirectStandardOutput = true })!;
        var output = virsh.StandardOutput.ReadToEnd();
        virsh.WaitForExit();
        return output.Trim().Split('(', ')')[1];
    }

    [Fact]
    public async Task A_suspended_instance_is_removed_with_its_managed_save()
    {
        var id = await Spawn();
        await driver.Suspend(id, CancellationToken.None);

        await driver.Destroy(id, CancellationToken.None);

        Assert.Null(driver.GetPowerState(id));
        Assert.False(Directory.Exists(driver.InstanceDirectory(id)));
        Assert.Empty(Directory.GetFiles("/var/lib/libvirt/qemu/save", DomainXml.NameOf(id) + "*"));
    }

    [Fact]
    public async Task Rescue_boots_the_rescue_disk_with_the_own_disk_second_and_unrescue_brings_back_the_own_domain()
    {
        var id = await Spawn();
        var folder = driver.InstanceDirectory(id);
        var spec = new RescueSpec(new InstanceSpec(id, "rescued", Tiny, ImageId, "none"), ImageId);

        await driver.Rescue(spec, CancellationToken.None);
        Assert.Equal(DomainState.Running, StateOf(id));
        Assert.Equal([Path.Combine(folder, "disk.rescue"), Path.Combine(folder, "disk")], DiskSources(id));
        Assert.True(File.Exists(Path.Combine(folder, "unrescue.xml")));
        await driver.Rescue(spec, CancellationToken.None); // a redelivery: still rescued, not rescued twice
        Assert.Equal(2, DiskSources(id).Count);

        await driver.Unrescue(id, CancellationToken.None);
        Assert.Equal(DomainState.Running, StateOf(id));
        Assert.Equal([Path.Combine(folder, "disk")], DiskSources(id));
        Assert.False(File.Exists(Path.Combine(folder, "disk.rescue")));
        Assert.False(File.Exists(Path.Combine(folder, "unrescue.xml")));
    }

    [Fact]
    public async Task A_stopped_instance_can_be_rescued_and_a_rescued_one_is_removed_whole()
    {
        var id = await Spawn();
        await driver.PowerOff(id, CancellationToken.None);

        await driver.Rescue(new RescueSpec(new InstanceSpec(id, "rescued", Tiny, ImageId, "none"), ImageId), CancellationToken.None);
        Assert.Equal(DomainState.Running, StateOf(id));

        await driver.Destroy(id, CancellationToken.None);
        Assert.Null(driver.GetPowerState(id));
        Assert.False(Directory.Exists(driver.InstanceDirectory(id)));
    }

    [Fact]
    public async Task A_snapshot_uploads_the_disk_as_a_standalone_qcow2()
    {
        var id = await Spawn();
        await driver.PowerOff(id, CancellationToken.None);
        var snapshotId = Guid.NewGuid().ToString();

        await driver.Snapshot(id, snapshotId, CancellationToken.None);

        Assert.True(images.Uploads.TryGetValue(snapshotId, out var uploaded));
        var info = await new QemuImg().Info(uploaded!);
        Assert.Equal("qcow2", info.Format);
        Assert.Null(info.BackingFilename);
        Assert.Equal(1L << 30, info.VirtualSize); // the flavor's 1 GB root disk
        Assert.Empty(Directory.GetFiles(driver.InstanceDirectory(id), "snapshot.*"));
    }

    private static DomainState StateOf(Guid id)
    {
        using var connection = LibvirtConnection.Open(Uri, readOnly: true);
        using var domain = connection.LookupByUuid(id);
        return domain.GetState();
    }

    private static bool HasManagedSave(Guid id)
    {
        using var connection = LibvirtConnection.Open(Uri, readOnly: true);
        using var domain = connection.LookupByUuid(id);
        return domain.HasManagedSaveImage;
    }

    /// <summary>The disks of the domain's live definition, in target order.</summary>
    private static List<string> DiskSources(Guid id)
    {
        using var connection = LibvirtConnection.Open(Uri, readOnly: true);
        using var domain = connection.LookupByUuid(id);
        return System.Xml.Linq.XDocument.Parse(domain.GetXmlDesc()).Descendants("disk")
            .Select(d => d.Element("source")!.Attribute("file")!.Value).ToList();
    }

    [Fact]
    public async Task A_driver_lists_only_the_guests_whose_disks_are_in_its_own_instances_folder()
    {
        var id = await Spawn();
        // A second worker (or anyone) on the same libvirtd: its reconciliation must not count our guest as its orphan.
        var options = new LibvirtDriverOptions { Uri = Uri, InstancesPath = Path.Combine(root, "other-instances"), ImageServiceUrl = images.Url, ApiToken = "test-token" };
        using var other = new LibvirtDriver(options, new ImageCache(options.InstancesPath, new QemuImg()),
            new ImageService(new HttpClient(), options.ImageServiceUrl, options.ApiToken));

        Assert.Contains(id, driver.ListInstances());
        Assert.DoesNotContain(id, other.ListInstances());
    }

    [Fact]
    public async Task After_libvirtd_closes_the_connection_the_driver_reopens_it_and_the_call_succeeds()
    {
        var id = await Spawn();

        // As when libvirtd restarts: the driver's connection reads end of file from now on.
        Assert.True(LibvirtSockets.SeverAll() > 0);
        Assert.Equal(PowerState.Running, driver.GetPowerState(id));

        Assert.True(LibvirtSockets.SeverAll() > 0);
        await driver.PowerOff(id, CancellationToken.None);
        Assert.Equal(DomainState.Shutoff, StateOf(id));

        Assert.True(LibvirtSockets.SeverAll() > 0);
        Assert.Contains(id, driver.ListInstances());
    }

    [Fact]
    public async Task An_instance_folder_that_cannot_be_removed_fails_the_delete_as_a_hypervisor_error()
    {
        var id = await Spawn();
        var pinned = Path.Combine(driver.InstanceDirectory(id), "pinned");
        await File.WriteAllTextAsync(pinned, "");
        // Immutable: not even root can unlink it, as on a read-only or failing disk.
        await Run("chattr", "+i", pinned);
        try
        {
            var error = await Assert.ThrowsAsync<HypervisorError>(() => driver.Destroy(id, CancellationToken.None));

            Assert.Contains("pinned", error.Message);
            Assert.True(error.Retryable);
        }
        finally
        {
            await Run("chattr", "-i", pinned);
        }
    }

    [Fact]
    public async Task At_start_up_the_worker_removes_the_temporaries_a_crashed_worker_left()
    {
        var id = await Spawn();
        var folder = driver.InstanceDirectory(id);
        var overlay = Path.Combine(folder, "disk.00112233445566778899aabbccddeeff.creating");
        var download = Path.Combine(root, "instances", "_base", ImageCache.BaseName("crashed") + ".0123456789abcdef0123456789abcdef.part");
        await File.WriteAllBytesAsync(overlay, new byte[512]);
        await File.WriteAllBytesAsync(download, new byte[512]);
        var pruning = new ImageCachePruning([new Nova.ComputeWorker.Instances.ComputeNode("host-1", driver, new Nova.ComputeWorker.Instances.OperationJournal(Path.Combine(root, "state"), "host-1"))],
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ImageCachePruning>.Instance);

        await pruning.StartAsync(CancellationToken.None);
        await pruning.StopAsync(CancellationToken.None);

        Assert.False(File.Exists(overlay));
        Assert.False(File.Exists(download));
        Assert.True(File.Exists(Path.Combine(folder, "disk")), "the instance's own disk stays");
        Assert.Equal(PowerState.Running, driver.GetPowerState(id));
    }

    [Fact]
    public async Task Destroying_an_absent_instance_does_nothing()
    {
        await driver.Destroy(Guid.NewGuid(), CancellationToken.None);
    }

    [Fact]
    public async Task Operations_on_an_unknown_instance_are_hypervisor_errors()
    {
        await Assert.ThrowsAsync<HypervisorError>(() => driver.PowerOn(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task An_image_that_does_not_exist_fails_the_build_with_a_clear_message()
    {
        var id = Guid.NewGuid();
        servers.Add(id);

        var error = await Assert.ThrowsAsync<HypervisorError>(() =>
            driver.Spawn(new InstanceSpec(id, "x", Tiny, Guid.NewGuid().ToString(), "none"), CancellationToken.None));

        Assert.Contains("could not be found", error.Message);
        Assert.Null(driver.GetPowerState(id));
    }

    [Fact]
    public void Capacity_and_version_come_from_the_host()
    {
        var capacity = driver.Capacity;

        Assert.Equal(Environment.ProcessorCount, capacity.Vcpus);
        Assert.True(capacity.MemoryMb > 0);
        Assert.True(capacity.DiskGb > 0);
        Assert.Equal("QEMU", driver.HypervisorType);
        Assert.True(long.Parse(driver.HypervisorVersion) >= 1_000_000);
    }

    private static async Task Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {error}");
    }
}
