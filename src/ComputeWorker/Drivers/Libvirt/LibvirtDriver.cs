using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Nova.ComputeWorker.Images;
using Nova.DiskImages;
using Nova.Domain.Hosts;
using Nova.Domain.Servers;
using Nova.Libvirt;

namespace Nova.ComputeWorker.Drivers.Libvirt;

/// <summary>
/// Nova's libvirt driver for QEMU guests: instance disks are qcow2 overlays on the host's image cache, domains are
/// persistent and named after the server, and every lookup is by the server's UUID (the domain's UUID).
/// </summary>
/// <remarks>
/// libvirt's calls block; they run on the thread pool so a slow hypervisor does not hold the bus's threads.
/// Every failure of an operation (libvirt's, the instance folder's, qemu-img's, the image service's) surfaces as a
/// <see cref="HypervisorError"/> carrying the cause's own message, so the generic action-failure path reports it.
/// A connection found dead (libvirtd restarted) is reopened, and the operation runs once more (see <see cref="Hypervisor{T}"/>).
/// </remarks>
public sealed class LibvirtDriver : IComputeDriver, IDisposable
{
    private const long GiB = 1L << 30;
    // QEMU's undefine leaves nothing behind with these; the test driver rejects the last two.
    private const UndefineOptions QemuUndefine = UndefineOptions.ManagedSave | UndefineOptions.SnapshotsMetadata
        | UndefineOptions.CheckpointsMetadata | UndefineOptions.Nvram;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly LibvirtDriverOptions options;
    private readonly ImageCache images;
    private readonly ImageService imageService;
    private readonly Func<bool> kvmUsable;
    private readonly ILogger log;
    private readonly object connecting = new();
    private LibvirtConnection? connection;
    /// <summary>How many dead connections were dropped; an operation that saw it change may retry on the new one.</summary>
    private int connectionsDropped;

    public LibvirtDriver(LibvirtDriverOptions options, ImageCache images, ImageService imageService,
        Func<bool>? kvmUsable = null, ILogger? log = null)
    {
        this.options = options;
        this.images = images;
        this.imageService = imageService;
        this.kvmUsable = kvmUsable ?? (options.VirtType switch
        {
            "kvm" => () => true,
            "qemu" => () => false,
            "auto" => KvmDevice.Usable,
            var other => throw new ArgumentException($"Nova:Compute:Libvirt:VirtType must be kvm, qemu or auto, not '{other}'"),
        });
        this.log = log ?? NullLogger.Instance;
    }

    public string HypervisorType => "QEMU";

    /// <summary>Nova's integer form: major * 1,000,000 + minor * 1,000 + release (7.2.0 → 7002000).</summary>
    public string HypervisorVersion => Query(() => Libvirt(() =>
    {
        var v = Connection.GetHypervisorVersion();
        return (v.Major * 1_000_000L + v.Minor * 1_000L + v.Build).ToString();
    }));

    public HostResources Capacity => Query(() =>
    {
        var node = Libvirt(() => Connection.GetNodeInfo());
        Directory.CreateDirectory(images.InstancesDirectory);
        var diskGb = (int)(new DriveInfo(images.InstancesDirectory).TotalSize / GiB);
        return new HostResources(node.Cpus, (int)(node.MemoryKiB / 1024), diskGb);
    });

    public string InstanceDirectory(Guid serverId) => Path.Combine(images.InstancesDirectory, serverId.ToString("D"));

    public Task Spawn(InstanceSpec spec, CancellationToken ct) => Hypervisor(() => SpawnOnce(spec, start: true, ct));

    /// <param name="start">False defines the guest without booting it (a stopped server resized).</param>
    private async Task SpawnOnce(InstanceSpec spec, bool start, CancellationToken ct)
    {
        var existing = await Task.Run(() => Find(spec.ServerId), ct);
        if (existing is not null)
        {
            // A redelivered build: it got as far as defining the domain.
            using (existing)
            {
                if (start && Libvirt(existing.GetState) is not DomainState.Running) await Start(existing, ct);
            }
            return;
        }

        var directory = InstanceDirectory(spec.ServerId);
        InstanceDisk disk;
        try
        {
            var (format, sha256) = await imageService.Describe(spec.ImageId, ct);
            using var lease = await images.Acquire(new ImageRef(spec.ImageId, format),
                (stream, token) => imageService.Download(spec.ImageId, sha256, stream, token), ct);
            // Once the overlay exists its backing file keeps the base in use; the lease can go.
            disk = await images.CreateInstanceDisk(lease, directory, spec.Flavor.DiskGb, ct);
        }
        catch (Exception e) when (e is ImageRefusedException or FlavorDiskTooSmallException)
        {
            // The request is at fault: another host would refuse it too.
            throw new HypervisorError(e.Message, retryable: false);
        }

        var xml = DomainXml.Build(new DomainSpec(
            spec.ServerId, spec.Name, spec.Flavor.Name, spec.Flavor.Vcpus, spec.Flavor.RamMb,
            disk.Path, Path.Combine(directory, "console.log"),
            DirectIoProbe.Supports(directory) ? QemuCacheMode.None : QemuCacheMode.Writeback,
            kvmUsable(), !string.Equals(spec.Networks, "none", StringComparison.OrdinalIgnoreCase)));
        using var domain = await Task.Run(() => Libvirt(() => Connection.DefineXml(xml)), ct);
        if (!start) return;
        await Start(domain, ct);
        log.LogInformation("Instance {ServerId} runs as {Domain}", spec.ServerId, DomainXml.NameOf(spec.ServerId));
    }

    /// <summary>Where a same-host resize keeps the old guest (Nova's <c>&lt;instance&gt;_resize</c>), its definition inside.</summary>
    private string KeptForRevert(Guid serverId) => InstanceDirectory(serverId) + "_resize";
    private const string KeptDefinition = "resize.xml";

    public Task FinishMigration(InstanceSpec spec, bool sameHost, bool powerOn, CancellationToken ct) =>
        Hypervisor(() => FinishMigrationOnce(spec, sameHost, powerOn, ct));

    private async Task FinishMigrationOnce(InstanceSpec spec, bool sameHost, bool powerOn, CancellationToken ct)
    {
        var kept = KeptForRevert(spec.ServerId);
        if (sameHost)
        {
            if (!Directory.Exists(kept))
            {
                // The old guest goes aside whole (folder and definition): a revert brings it back as it was.
                using var old = await Task.Run(() => Required(spec.ServerId), ct);
                var definition = Libvirt(() => old.GetXmlDesc(DomainXmlOptions.Inactive));
                await Task.Run(() => DestroyIfActive(old), ct);
                var directory = InstanceDirectory(spec.ServerId);
                await File.WriteAllTextAsync(Path.Combine(directory, KeptDefinition), definition, ct);
                Directory.Move(directory, kept);
            }
            // Undefined only once its folder is aside, so a repeat after a crash finds one or the other; the old
            // definition is the one of another flavor (a resize always changes it).
            using var left = await Task.Run(() => Find(spec.ServerId), ct);
            if (left is not null && DomainXml.FlavorOf(Libvirt(() => left.GetXmlDesc(DomainXmlOptions.Inactive))) != spec.Flavor.Name)
                await Task.Run(() => Libvirt(() => left.Undefine(QemuUndefine)), ct);
        }
        await SpawnOnce(spec, start: powerOn, ct);
        log.LogInformation("Instance {ServerId} finished its resize to flavor {Flavor}", spec.ServerId, spec.Flavor.Name);
    }

    public Task ConfirmMigration(Guid serverId, bool sameHost, CancellationToken ct) => sameHost
        ? Hypervisor(() =>
        {
            var kept = KeptForRevert(serverId);
            if (Directory.Exists(kept)) Directory.Delete(kept, recursive: true);
            return Task.CompletedTask;
        })
        : Destroy(serverId, ct);

    public Task RevertMigration(Guid serverId, bool sameHost, CancellationToken ct) => sameHost
        ? Hypervisor(() => RevertOnSameHost(serverId, ct))
        : Destroy(serverId, ct);

    private async Task RevertOnSameHost(Guid serverId, CancellationToken ct)
    {
        var kept = KeptForRevert(serverId);
        if (!Directory.Exists(kept)) return; // reverted already (a redelivery)
        await DestroyOnce(serverId, ct);
        // Defined before the folder moves back: a repeat after a crash still finds the kept folder and starts over.
        var definition = await File.ReadAllTextAsync(Path.Combine(kept, KeptDefinition), ct);
        using (await Task.Run(() => Libvirt(() => Connection.DefineXml(definition)), ct)) { }
        var directory = InstanceDirectory(serverId);
        Directory.Move(kept, directory);
        File.Delete(Path.Combine(directory, KeptDefinition));
    }

    public Task PowerOff(Guid serverId, CancellationToken ct) => Hypervisor(() => PowerOffOnce(serverId, ct));

    private async Task PowerOffOnce(Guid serverId, CancellationToken ct)
    {
        using var domain = Required(serverId);
        if (Libvirt(domain.GetState) is DomainState.Shutoff) return;
        try
        {
            await Task.Run(() => Libvirt(domain.Shutdown), ct);
        }
        catch (HypervisorError e)
        {
            // A guest that cannot take an ACPI event is powered off hard below.
            log.LogInformation("Graceful shutdown of {ServerId} refused: {Error}", serverId, e.Message);
        }
        if (await WaitFor(domain, DomainState.Shutoff, TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds), ct)) return;
        log.LogInformation("Instance {ServerId} did not shut down within {Seconds} s; destroying it", serverId,
            options.ShutdownTimeoutSeconds);
        await Task.Run(() => DestroyIfActive(domain), ct);
    }

    public Task PowerOn(Guid serverId, CancellationToken ct) => Hypervisor(() => PowerOnOnce(serverId, ct));

    private async Task PowerOnOnce(Guid serverId, CancellationToken ct)
    {
        using var domain = Required(serverId);
        if (Libvirt(domain.GetState) is DomainState.Running) return;
        await Start(domain, ct);
    }

    public Task Reboot(Guid serverId, RebootType type, CancellationToken ct) => Hypervisor(() => RebootOnce(serverId, type, ct));

    private async Task RebootOnce(Guid serverId, RebootType type, CancellationToken ct)
    {
        using var domain = Required(serverId);
        if (type == RebootType.Soft && Libvirt(domain.GetState) is DomainState.Running)
        {
            if (await SoftReboot(domain, serverId, ct)) return;
            log.LogInformation("Instance {ServerId} did not shut down within {Seconds} s of a soft reboot; rebooting it hard",
                serverId, options.SoftRebootTimeoutSeconds);
        }
        await Task.Run(() =>
        {
            DestroyIfActive(domain);
            // A hard reboot boots afresh, as Nova's (which redefines the domain): a suspended guest's saved memory
            // would otherwise be restored instead.
            if (Libvirt(() => domain.HasManagedSaveImage)) Libvirt(domain.RemoveManagedSave);
        }, ct);
        await Start(domain, ct);
    }

    /// <summary>
    /// Nova's soft reboot: an ACPI shutdown, then a fresh start once the guest is off. Asking the guest to
    /// reboot itself (virDomainReboot) could not tell a guest that ignores it from one that obeys, so a
    /// hung guest would never be rebooted; a shutdown that does not finish in time is the caller's cue to go hard.
    /// </summary>
    private async Task<bool> SoftReboot(LibvirtDomain domain, Guid serverId, CancellationToken ct)
    {
        try
        {
            await Task.Run(() => Libvirt(domain.Shutdown), ct);
        }
        catch (HypervisorError e)
        {
            log.LogInformation("Soft reboot of {ServerId} refused: {Error}", serverId, e.Message);
            return false;
        }
        if (!await WaitFor(domain, DomainState.Shutoff, TimeSpan.FromSeconds(options.SoftRebootTimeoutSeconds), ct))
            return false;
        await Start(domain, ct);
        return true;
    }

    public Task Destroy(Guid serverId, CancellationToken ct) => Hypervisor(() => DestroyOnce(serverId, ct));

    private async Task DestroyOnce(Guid serverId, CancellationToken ct)
    {
        var domain = await Task.Run(() => Find(serverId), ct);
        if (domain is not null)
        {
            using (domain)
            {
                await Task.Run(() =>
                {
                    DestroyIfActive(domain);
                    try { Libvirt(() => domain.Undefine(QemuUndefine)); }
                    catch (HypervisorError) when (Find(serverId) is null) { /* removed meanwhile */ }
                }, ct);
            }
        }
        var directory = InstanceDirectory(serverId);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    /// <summary>virDomainSuspend: the vCPUs stop, the QEMU process and its memory stay.</summary>
    public Task Pause(Guid serverId, CancellationToken ct) => Hypervisor(() => PauseOnce(serverId, ct));

    private async Task PauseOnce(Guid serverId, CancellationToken ct)
    {
        using var domain = Required(serverId);
        var state = Libvirt(domain.GetState);
        if (state is DomainState.Paused) return;
        if (state is not DomainState.Running) throw new HypervisorError($"Instance {serverId} is not running ({state}): it cannot be paused.");
        await Task.Run(() => Libvirt(domain.Suspend), ct);
    }

    public Task Unpause(Guid serverId, CancellationToken ct) => Hypervisor(() => UnpauseOnce(serverId, ct));

    private async Task UnpauseOnce(Guid serverId, CancellationToken ct)
    {
        using var domain = Required(serverId);
        var state = Libvirt(domain.GetState);
        if (state is DomainState.Running) return;
        if (state is not DomainState.Paused) throw new HypervisorError($"Instance {serverId} is not paused ({state}): it cannot be unpaused.");
        await Task.Run(() => Libvirt(domain.Resume), ct);
    }

    /// <summary>libvirt's managed save, as Nova's suspend: memory to disk, the QEMU process ends, the domain is SHUTOFF.</summary>
    public Task Suspend(Guid serverId, CancellationToken ct) => Hypervisor(() => SuspendOnce(serverId, ct));

    private async Task SuspendOnce(Guid serverId, CancellationToken ct)
    {
        using var domain = Required(serverId);
        var state = Libvirt(domain.GetState);
        if (state is DomainState.Shutoff && Libvirt(() => domain.HasManagedSaveImage)) return;
        if (state is not (DomainState.Running or DomainState.Paused))
            throw new HypervisorError($"Instance {serverId} is not running ({state}): it cannot be suspended.");
        await Task.Run(() => Libvirt(domain.ManagedSave), ct);
    }

    /// <summary>A start restores a managed-saved domain from its saved memory.</summary>
    public Task Resume(Guid serverId, CancellationToken ct) => Hypervisor(() => ResumeOnce(serverId, ct));

    private async Task ResumeOnce(Guid serverId, CancellationToken ct)
    {
        using var domain = Required(serverId);
        if (Libvirt(domain.GetState) is DomainState.Running) return;
        await Start(domain, ct);
    }

    /// <summary>
    /// Nova's rescue: the instance's own definition is kept in its folder (<c>unrescue.xml</c>, so a restart of the
    /// worker does not lose it), and the domain is redefined to boot from a fresh overlay of the rescue image
    /// (<c>disk.rescue</c>) with its own disk as the second disk.
    /// </summary>
    public Task Rescue(RescueSpec spec, CancellationToken ct) => Hypervisor(() => RescueOnce(spec, ct));

    private async Task RescueOnce(RescueSpec spec, CancellationToken ct)
    {
        var serverId = spec.Instance.ServerId;
        var directory = InstanceDirectory(serverId);
        var unrescue = Path.Combine(directory, UnrescueFile);
        using var domain = await Task.Run(() => Required(serverId), ct);
        if (File.Exists(unrescue))
        {
            // A redelivered rescue: the rescue domain is defined already.
            if (Libvirt(domain.GetState) is not DomainState.Running) await Start(domain, ct);
            return;
        }
        var own = Libvirt(() => domain.GetXmlDesc(DomainXmlOptions.Inactive));
        InstanceDisk rescueDisk;
        try
        {
            var (format, sha256) = await imageService.Describe(spec.RescueImageId, ct);
            using var lease = await images.Acquire(new ImageRef(spec.RescueImageId, format),
                (stream, token) => imageService.Download(spec.RescueImageId, sha256, stream, token), ct);
            // Sized as the rescue image: the guest boots from it, its own disk keeps its size.
            rescueDisk = await images.CreateInstanceDisk(lease, directory, 0, ct, InstanceDisk.Rescue);
        }
        catch (ImageRefusedException e)
        {
            throw new HypervisorError(e.Message, retryable: false);
        }

        using (var saving = TemporaryFile.Create($"{unrescue}.{Guid.NewGuid():N}.creating"))
        {
            await File.WriteAllTextAsync(saving.Path, own, ct);
            File.Move(saving.Path, unrescue, overwrite: true);
        }
        await Task.Run(() => DestroyIfActive(domain), ct);
        var xml = DomainXml.Build(new DomainSpec(
            serverId, spec.Instance.Name, spec.Instance.Flavor.Name, spec.Instance.Flavor.Vcpus, spec.Instance.Flavor.RamMb,
            rescueDisk.Path, Path.Combine(directory, "console.log"),
            DirectIoProbe.Supports(directory) ? QemuCacheMode.None : QemuCacheMode.Writeback,
            kvmUsable(), !string.Equals(spec.Instance.Networks, "none", StringComparison.OrdinalIgnoreCase),
            SecondDiskPath: Path.Combine(directory, InstanceDisk.Root)));
        using var rescued = await Task.Run(() => Libvirt(() => Connection.DefineXml(xml)), ct);
        await Start(rescued, ct);
        log.LogInformation("Instance {ServerId} runs rescued from image {Image}", serverId, spec.RescueImageId);
    }

    /// <summary>Nova's unrescue: the kept definition is defined again and booted; the rescue disk and the kept definition go.</summary>
    public Task Unrescue(Guid serverId, CancellationToken ct) => Hypervisor(() => UnrescueOnce(serverId, ct));

    private async Task UnrescueOnce(Guid serverId, CancellationToken ct)
    {
        var directory = InstanceDirectory(serverId);
        var unrescue = Path.Combine(directory, UnrescueFile);
        using var domain = await Task.Run(() => Required(serverId), ct);
        if (!File.Exists(unrescue))
        {
            // Not rescued (or unrescued before a redelivery): what is asked is a running instance.
            if (Libvirt(domain.GetState) is not DomainState.Running) await Start(domain, ct);
            return;
        }
        await Task.Run(() => DestroyIfActive(domain), ct);
        var own = await File.ReadAllTextAsync(unrescue, ct);
        using var restored = await Task.Run(() => Libvirt(() => Connection.DefineXml(own)), ct);
        await Start(restored, ct);
        File.Delete(Path.Combine(directory, InstanceDisk.Rescue));
        File.Delete(unrescue);
    }

    /// <summary>
    /// Nova's snapshot: the root disk flattened into a standalone qcow2 beside it (the seed's cache rule for the
    /// target), uploaded as the image's data, and the temporary file removed whatever happens.
    /// </summary>
    public Task Snapshot(Guid serverId, string imageId, CancellationToken ct) => Hypervisor(() => SnapshotOnce(serverId, imageId, ct));

    private async Task SnapshotOnce(Guid serverId, string imageId, CancellationToken ct)
    {
        var directory = InstanceDirectory(serverId);
        var disk = Path.Combine(directory, InstanceDisk.Root);
        if (!File.Exists(disk)) throw new HypervisorError($"Instance {serverId} has no disk on this host.");
        // Nova's cold snapshot: a running or paused guest's memory is saved (its disk is quiet then) and it comes back
        // as it was once the disk is copied; a stopped or suspended one is copied as it is.
        using var domain = await Task.Run(() => Find(serverId), ct);
        var before = domain is null ? DomainState.Shutoff : Libvirt(domain.GetState);
        var bringBack = domain is not null && before is DomainState.Running or DomainState.Paused;
        if (bringBack) await Task.Run(() => Libvirt(domain!.ManagedSave), ct);
        try
        {
            // Held while it is flattened and uploaded; removed whatever happens (or, after a crash, by the next sweep).
            using var snapshot = TemporaryFile.Create(Path.Combine(directory, $"snapshot.{Guid.NewGuid():N}.part"));
            await images.Flatten(disk, snapshot.Path, ct);
            await imageService.Upload(imageId, snapshot.Path, ct);
        }
        catch (Exception e) when (e is QemuImgException or HttpRequestException or IOException)
        {
            throw new HypervisorError($"Snapshot of instance {serverId} failed: {e.Message}");
        }
        finally
        {
            if (bringBack)
            {
                await Start(domain!, CancellationToken.None);
                if (before is DomainState.Paused) await Task.Run(() => Libvirt(domain!.Suspend), CancellationToken.None);
            }
        }
        log.LogInformation("Instance {ServerId}'s disk stored as image {Image}", serverId, imageId);
    }

    /// <summary>
    /// Nova's rebuild: a new overlay on the new image's base (through the image cache) is made beside the old disk,
    /// the guest is stopped, the new disk renamed over the old one (which is gone only now), the domain defined again
    /// from the spec and started unless the server was stopped. A repeat finds the new disk in place and redoes the rest.
    /// </summary>
    public Task Rebuild(InstanceSpec spec, bool powerOn, CancellationToken ct) => Hypervisor(() => RebuildOnce(spec, powerOn, ct));

    private async Task RebuildOnce(InstanceSpec spec, bool powerOn, CancellationToken ct)
    {
        var directory = InstanceDirectory(spec.ServerId);
        using var domain = await Task.Run(() => Required(spec.ServerId), ct);
        // A new disk left by an attempt that died before the rename is no guest's yet: made afresh.
        File.Delete(Path.Combine(directory, InstanceDisk.Rebuild));
        InstanceDisk disk;
        try
        {
            var (format, sha256) = await imageService.Describe(spec.ImageId, ct);
            using var lease = await images.Acquire(new ImageRef(spec.ImageId, format),
                (stream, token) => imageService.Download(spec.ImageId, sha256, stream, token), ct);
            disk = await images.CreateInstanceDisk(lease, directory, spec.Flavor.DiskGb, ct, InstanceDisk.Rebuild);
        }
        catch (Exception e) when (e is ImageRefusedException or FlavorDiskTooSmallException)
        {
            throw new HypervisorError(e.Message, retryable: false);
        }
        await Task.Run(() =>
        {
            DestroyIfActive(domain);
            // The saved memory belongs to the old disk.
            if (Libvirt(() => domain.HasManagedSaveImage)) Libvirt(domain.RemoveManagedSave);
        }, ct);
        var root = Path.Combine(directory, InstanceDisk.Root);
        File.Move(disk.Path, root, overwrite: true);
        var xml = DomainXml.Build(new DomainSpec(
            spec.ServerId, spec.Name, spec.Flavor.Name, spec.Flavor.Vcpus, spec.Flavor.RamMb,
            root, Path.Combine(directory, "console.log"),
            DirectIoProbe.Supports(directory) ? QemuCacheMode.None : QemuCacheMode.Writeback,
            kvmUsable(), !string.Equals(spec.Networks, "none", StringComparison.OrdinalIgnoreCase)));
        using var rebuilt = await Task.Run(() => Libvirt(() => Connection.DefineXml(xml)), ct);
        if (powerOn) await Start(rebuilt, ct);
        log.LogInformation("Instance {ServerId} rebuilt from image {Image}", spec.ServerId, spec.ImageId);
    }

    /// <summary>Where a rescued instance's own domain definition waits for unrescue.</summary>
    private const string UnrescueFile = "unrescue.xml";

    public PowerState? GetPowerState(Guid serverId) => Query(() =>
    {
        using var domain = Find(serverId);
        if (domain is null) return (PowerState?)null;
        try
        {
            return ToPowerState(Libvirt(domain.GetState));
        }
        catch (HypervisorError) when (Find(serverId) is null)
        {
            return null;
        }
    });

    /// <summary>The serial console log QEMU writes in the instance folder (Nova's console.log); the last 1 MiB at most.</summary>
    public Task<string> GetConsoleOutput(Guid serverId, int? lines, CancellationToken ct) =>
        Hypervisor(() => ReadConsoleLog(serverId, lines, ct));

    private async Task<string> ReadConsoleLog(Guid serverId, int? lines, CancellationToken ct)
    {
        var path = Path.Combine(InstanceDirectory(serverId), "console.log");
        if (!File.Exists(path))
            return Directory.Exists(InstanceDirectory(serverId)) ? "" : throw new HypervisorError($"Instance {serverId} could not be found on this host.");
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (file.Length > MaxConsoleBytes) file.Seek(-MaxConsoleBytes, SeekOrigin.End);
        using var reader = new StreamReader(file);
        return ConsoleTail.Last(await reader.ReadToEndAsync(ct), lines);
    }

    private const int MaxConsoleBytes = 1 << 20;

    public IReadOnlyCollection<Guid> ListInstances() => Query(() => Libvirt<IReadOnlyCollection<Guid>>(() =>
    {
        var domains = Connection.ListAllDomains();
        try
        {
            // Only this host's guests: another worker or a person may share the libvirtd, and reconciliation
            // destroys what it lists but does not own, so a domain counts only when its disks are in our folder.
            return domains.Where(d => d.Name.StartsWith(DomainXml.NamePrefix, StringComparison.Ordinal)
                    && DomainXml.DisksUnder(d.GetXmlDesc(), options.InstancesPath))
                .Select(d => d.Uuid).ToList();
        }
        finally
        {
            foreach (var d in domains) d.Dispose();
        }
    }));

    /// <summary>Nova's LIBVIRT_POWER_STATE: "being shut down" already counts as shut down.</summary>
    public static PowerState ToPowerState(DomainState state) => state switch
    {
        DomainState.Running or DomainState.Blocked => PowerState.Running,
        DomainState.Paused => PowerState.Paused,
        DomainState.Shutdown or DomainState.Shutoff => PowerState.Shutdown,
        DomainState.Crashed => PowerState.Crashed,
        DomainState.PMSuspended => PowerState.Suspended,
        _ => PowerState.NoState,
    };

    /// <summary>Removes cached images no instance has used for <see cref="LibvirtDriverOptions.ImageCacheMaxUnusedAge"/>.</summary>
    public Task<PruneResult> PruneImageCache(CancellationToken ct) => images.Prune(options.ImageCacheMaxUnusedAge, ct);

    /// <summary>Removes the temporaries a crashed worker left in the image cache and the instance folders.</summary>
    public IReadOnlyList<string> RemoveAbandonedTemporaries() => images.RemoveAbandonedTemporaries();

    public void Dispose()
    {
        lock (connecting) connection?.Dispose();
    }

    /// <summary>Opened on first use, so that the worker starts (and reports why) while libvirtd is not up yet.</summary>
    private LibvirtConnection Connection
    {
        get
        {
            lock (connecting) return connection ??= Libvirt(() => LibvirtConnection.Open(options.Uri));
        }
    }

    private async Task Start(LibvirtDomain domain, CancellationToken ct)
    {
        try
        {
            await Task.Run(() => Libvirt(domain.Create), ct);
        }
        catch (HypervisorError) when (Libvirt(domain.GetState) is DomainState.Running)
        {
            // Started meanwhile (a redelivered message): that is what was asked.
        }
        if (!await WaitFor(domain, DomainState.Running, TimeSpan.FromSeconds(options.StartTimeoutSeconds), ct))
            throw new HypervisorError(
                $"Instance {domain.Uuid} did not reach RUNNING within {options.StartTimeoutSeconds} s (state {Libvirt(domain.GetState)}).");
    }

    private async Task<bool> WaitFor(LibvirtDomain domain, DomainState wanted, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (Libvirt(domain.GetState) == wanted) return true;
            if (clock.Elapsed >= timeout) return false;
            await Task.Delay(PollInterval, ct);
        }
    }

    private void DestroyIfActive(LibvirtDomain domain)
    {
        if (Libvirt(domain.GetState) is DomainState.Shutoff) return;
        try
        {
            Libvirt(domain.Destroy);
        }
        catch (HypervisorError) when (Libvirt(domain.GetState) is DomainState.Shutoff)
        {
            // It stopped on its own between the check and the destroy.
        }
    }

    private LibvirtDomain Required(Guid serverId) =>
        Find(serverId) ?? throw new HypervisorError($"Instance {serverId} could not be found on this host.");

    private LibvirtDomain? Find(Guid serverId)
    {
        try
        {
            return Connection.LookupByUuid(serverId);
        }
        catch (LibvirtNoSuchDomainException)
        {
            return null;
        }
        catch (LibvirtException e)
        {
            DropIfDead(e);
            throw new HypervisorError(e.Message);
        }
    }

    private void Libvirt(Action call) => Libvirt(() => { call(); return 0; });

    private T Libvirt<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (LibvirtException e)
        {
            DropIfDead(e);
            throw new HypervisorError(e.Message);
        }
    }

    /// <summary>
    /// Runs one driver operation. When the libvirt connection was found dead while it ran (libvirtd restarted), the
    /// operation runs once more on a fresh connection: every operation is safe to repeat, and the domain handles it
    /// held belong to the dead connection, so retrying the single failed call would not do.
    /// </summary>
    private async Task<T> Hypervisor<T>(Func<Task<T>> operation)
    {
        var dropped = Volatile.Read(ref connectionsDropped);
        try
        {
            return await AsHypervisorError(operation);
        }
        catch (HypervisorError e) when (Volatile.Read(ref connectionsDropped) != dropped)
        {
            log.LogInformation("Retrying on a new libvirt connection after: {Error}", e.Message);
            return await AsHypervisorError(operation);
        }
    }

    private Task Hypervisor(Func<Task> operation) => Hypervisor(async () =>
    {
        await operation();
        return true;
    });

    /// <summary>The synchronous operations (state, listing, capacity): the same retry, completed within the call.</summary>
    private T Query<T>(Func<T> operation) => Hypervisor(() => Task.FromResult(operation())).GetAwaiter().GetResult();

    /// <summary>Hypervisor failures that are not libvirt's own (the instance folder, qemu-img, the image service) as well.</summary>
    private async Task<T> AsHypervisorError<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (LibvirtException e)
        {
            DropIfDead(e);
            throw new HypervisorError(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or QemuImgException
                                      or HttpRequestException or ObjectDisposedException)
        {
            throw new HypervisorError(e.Message);
        }
    }

    /// <summary>
    /// After a failed call: when the connection is dead, every later call on it would fail too, so it is closed and
    /// the next use opens a new one. A live connection (the failure was the call's own) is kept.
    /// </summary>
    private void DropIfDead(LibvirtException error)
    {
        lock (connecting)
        {
            if (connection is null || connection.IsAlive) return;
            log.LogWarning("The libvirt connection to {Uri} is dead ({Error}); it will be reopened", options.Uri, error.Message);
            connection.Dispose();
            connection = null;
            connectionsDropped++;
        }
    }
}
