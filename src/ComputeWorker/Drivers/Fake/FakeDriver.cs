using System.Collections.Concurrent;
using System.Text.Json;
using Nova.ComputeWorker.Drivers.Libvirt;
using Nova.DiskImages;
using Nova.Domain.Hosts;
using Nova.Domain.Servers;

namespace Nova.ComputeWorker.Drivers.Fake;

/// <summary>
/// Nova's fake hypervisor: capacity, per-operation delay and failure injection are configurable.
/// The default size is the one Nova's fake driver reports (1000 vCPUs, 800000 MB, 600000 GB).
/// </summary>
public sealed class FakeDriverOptions
{
    public int Vcpus { get; set; } = 1000;
    public int MemoryMb { get; set; } = 800000;
    public int DiskGb { get; set; } = 600000;
    /// <summary>Time each operation takes, like a real hypervisor's latency.</summary>
    public int DelayMs { get; set; }
    /// <summary>Share of spawns that fail (0..1), to exercise failed builds.</summary>
    public double SpawnFailureRate { get; set; }
    /// <summary>Keep the guests on disk (in the host's state folder), so they outlive a restart of the worker as real guests do.</summary>
    public bool Persistent { get; set; } = true;
}

/// <summary>
/// Nova's <c>fake</c> compute driver: keeps its domains and does no real work. A product feature for control-plane
/// tests and scale runs, not a test double. As Nova's, it refuses what a real hypervisor would refuse (pausing a guest
/// that does not run, resuming one that was not suspended). Given a folder, it keeps each domain there as a file, so
/// its guests outlive the worker process as a real hypervisor's do (a restarted compute service finds them running).
/// </summary>
public sealed class FakeDriver : IComputeDriver
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);
    private readonly FakeDriverOptions options;
    private readonly string? domainsPath;
    private readonly ConcurrentDictionary<Guid, FakeDomain> domains = new();
    private readonly ImageService? imageService;
    private readonly QemuImg qemuImg = new();

    /// <param name="domainsPath">Where the domains are kept; null keeps them in memory only (gone with the process).</param>
    /// <param name="imageService">Where snapshots are uploaded (a small valid image each); null uploads nothing.</param>
    public FakeDriver(FakeDriverOptions options, string? domainsPath = null, ImageService? imageService = null)
    {
        this.options = options;
        this.domainsPath = domainsPath;
        this.imageService = imageService;
        if (domainsPath is null) return;
        Directory.CreateDirectory(domainsPath);
        foreach (var file in Directory.EnumerateFiles(domainsPath, "*.json"))
        {
            try
            {
                if (Guid.TryParse(Path.GetFileNameWithoutExtension(file), out var id)
                    && JsonSerializer.Deserialize<FakeDomain>(File.ReadAllText(file), Json) is { } domain)
                    domains[id] = domain;
            }
            catch (JsonException)
            {
                File.Delete(file); // torn by a crash mid-write: that guest is gone, as a crashed hypervisor's would be
            }
        }
    }

    /// <summary>
    /// One fake guest: its power state, the image it boots from while rescued, its flavor once resized, and the guest
    /// a same-host resize keeps aside for a revert.
    /// </summary>
    public sealed record FakeDomain(PowerState Power, string? RescueImage = null, string? FlavorId = null, FakeDomain? KeptForRevert = null);

    public string HypervisorType => "fake";
    public string HypervisorVersion => "1000";
    public HostResources Capacity => new(options.Vcpus, options.MemoryMb, options.DiskGb);

    public async Task Spawn(InstanceSpec spec, CancellationToken ct)
    {
        await Delay(ct);
        if (domains.ContainsKey(spec.ServerId)) return;
        if (options.SpawnFailureRate > 0 && Random.Shared.NextDouble() < options.SpawnFailureRate)
            throw new HypervisorError($"Fake hypervisor failed to spawn instance {spec.ServerId} (injected failure).");
        Put(spec.ServerId, new FakeDomain(PowerState.Running));
    }

    public Task PowerOff(Guid serverId, CancellationToken ct) => Set(serverId, PowerState.Shutdown, ct);
    public Task PowerOn(Guid serverId, CancellationToken ct) => Set(serverId, PowerState.Running, ct);
    public Task Reboot(Guid serverId, RebootType type, CancellationToken ct) => Set(serverId, PowerState.Running, ct);

    public Task Pause(Guid serverId, CancellationToken ct) => Move(serverId, PowerState.Running, PowerState.Paused, "pause", ct);
    public Task Unpause(Guid serverId, CancellationToken ct) => Move(serverId, PowerState.Paused, PowerState.Running, "unpause", ct);
    public Task Suspend(Guid serverId, CancellationToken ct) => Move(serverId, PowerState.Running, PowerState.Suspended, "suspend", ct);
    public Task Resume(Guid serverId, CancellationToken ct) => Move(serverId, PowerState.Suspended, PowerState.Running, "resume", ct);

    public async Task Rescue(RescueSpec spec, CancellationToken ct)
    {
        await Delay(ct);
        var domain = Required(spec.Instance.ServerId);
        Put(spec.Instance.ServerId, domain with { Power = PowerState.Running, RescueImage = spec.RescueImageId });
    }

    public async Task Unrescue(Guid serverId, CancellationToken ct)
    {
        await Delay(ct);
        Put(serverId, Required(serverId) with { Power = PowerState.Running, RescueImage = null });
    }

    /// <summary>
    /// A small valid image (an empty 1 MiB qcow2 made by qemu-img) is uploaded as the snapshot, so the image goes
    /// active and can be booted, as a real driver's would; without an image service nothing is uploaded (Nova's fake).
    /// </summary>
    public async Task Snapshot(Guid serverId, string imageId, CancellationToken ct)
    {
        await Delay(ct);
        Required(serverId);
        if (imageService is null) return;
        var path = Path.Combine(Path.GetTempPath(), $"fake-snapshot.{Guid.NewGuid():N}.qcow2");
        try
        {
            await qemuImg.Create(path, "qcow2", 1 << 20, ct);
            await imageService.Upload(imageId, path, ct);
        }
        catch (QemuImgException e)
        {
            throw new HypervisorError($"Snapshot of instance {serverId} failed: {e.Message}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The guest is replaced by a fresh one, running or (for a stopped server) shut down.</summary>
    public async Task Rebuild(InstanceSpec spec, bool powerOn, CancellationToken ct)
    {
        await Delay(ct);
        Required(spec.ServerId);
        Put(spec.ServerId, new FakeDomain(powerOn ? PowerState.Running : PowerState.Shutdown));
    }

    public async Task FinishMigration(InstanceSpec spec, bool sameHost, bool powerOn, CancellationToken ct)
    {
        await Delay(ct);
        var power = powerOn ? PowerState.Running : PowerState.Shutdown;
        if (domains.TryGetValue(spec.ServerId, out var current))
        {
            if (current.FlavorId == spec.Flavor.Id) return; // redelivered: finished already
            if (!sameHost) throw new HypervisorError($"Instance {spec.ServerId} already exists on this host.");
            Put(spec.ServerId, new FakeDomain(power, FlavorId: spec.Flavor.Id, KeptForRevert: current with { Power = PowerState.Shutdown }));
            return;
        }
        Put(spec.ServerId, new FakeDomain(power, FlavorId: spec.Flavor.Id));
    }

    public async Task ConfirmMigration(Guid serverId, bool sameHost, CancellationToken ct)
    {
        if (!sameHost)
        {
            await Destroy(serverId, ct);
            return;
        }
        await Delay(ct);
        if (domains.TryGetValue(serverId, out var domain) && domain.KeptForRevert is not null) Put(serverId, domain with { KeptForRevert = null });
    }

    public async Task RevertMigration(Guid serverId, bool sameHost, CancellationToken ct)
    {
        if (!sameHost)
        {
            await Destroy(serverId, ct);
            return;
        }
        await Delay(ct);
        if (domains.TryGetValue(serverId, out var domain) && domain.KeptForRevert is { } kept) Put(serverId, kept);
    }

    public async Task Destroy(Guid serverId, CancellationToken ct)
    {
        await Delay(ct);
        domains.TryRemove(serverId, out _);
        if (domainsPath is not null) File.Delete(FileOf(serverId));
    }

    public PowerState? GetPowerState(Guid serverId) => domains.TryGetValue(serverId, out var domain) ? domain.Power : null;

    /// <summary>The image a rescued instance boots from; null when it is not rescued (or absent).</summary>
    public string? RescueImageOf(Guid serverId) => domains.TryGetValue(serverId, out var domain) ? domain.RescueImage : null;

    public IReadOnlyCollection<Guid> ListInstances() => domains.Keys.ToList();

    /// <summary>
    /// A short boot log ending in Nova's fake driver's three lines. Nova's own answers only those three; a longer log lets
    /// a client see that <c>length</c> cuts it (Tempest asks for more than 3 lines whole and exactly 3 with length=3).
    /// An absent instance fails the returned task, as every other operation does.
    /// </summary>
    public async Task<string> GetConsoleOutput(Guid serverId, int? lines, CancellationToken ct)
    {
        await Delay(ct);
        Required(serverId);
        return ConsoleTail.Last(FakeConsoleLog(serverId), lines);
    }

    private static string FakeConsoleLog(Guid serverId) => string.Join('\n',
        "[    0.000000] Linux version 6.1.0-fake (fake@nova) #1 SMP",
        "[    0.000000] Command line: root=/dev/vda1 console=ttyS0",
        "[    1.024000] EXT4-fs (vda1): mounted filesystem",
        $"[    2.048000] cloud-init: instance-id {serverId}",
        "FAKE CONSOLE OUTPUT",
        "ANOTHER",
        "LAST LINE");

    private async Task Set(Guid serverId, PowerState state, CancellationToken ct)
    {
        await Delay(ct);
        Put(serverId, Required(serverId) with { Power = state });
    }

    /// <summary>From <paramref name="from"/> to <paramref name="to"/>; already there is done (a redelivery), anything else is refused.</summary>
    private async Task Move(Guid serverId, PowerState from, PowerState to, string operation, CancellationToken ct)
    {
        await Delay(ct);
        var domain = Required(serverId);
        if (domain.Power == to) return;
        if (domain.Power != from)
            throw new HypervisorError($"Cannot {operation} instance {serverId}: it is {domain.Power.ToString().ToLowerInvariant()}.");
        Put(serverId, domain with { Power = to });
    }

    private void Put(Guid serverId, FakeDomain domain)
    {
        domains[serverId] = domain;
        if (domainsPath is null) return;
        // Written aside and renamed, so a crash leaves the old domain or the new one, never half of it.
        var path = FileOf(serverId);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(domain, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private string FileOf(Guid serverId) => Path.Combine(domainsPath!, serverId + ".json");

    private FakeDomain Required(Guid serverId) =>
        domains.TryGetValue(serverId, out var domain) ? domain : throw new HypervisorError($"Instance {serverId} could not be found on this host.");

    private Task Delay(CancellationToken ct) => options.DelayMs > 0 ? Task.Delay(options.DelayMs, ct) : Task.CompletedTask;
}
