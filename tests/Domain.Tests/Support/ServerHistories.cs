using Nova.Domain.Flavors;
using Nova.Domain.Servers;

namespace Nova.Domain.Tests.Support;

/// <summary>Shared test data: one server, its owner, two admins, three hosts, and event histories that reach each state.</summary>
public static class A
{
    public static readonly Guid ServerId = Guid.Parse("0b3c6a4e-6f51-4c55-9d2c-2d1f6a8e7c01");
    public const string Host = "compute-1";
    public const string OtherHost = "compute-2";
    public const string ThirdHost = "compute-3";
    public const string Project = "project-a";

    public static readonly Requester Owner = new("user-a", Project, IsAdmin: false);
    public static readonly Requester OtherUserSameProject = new("user-b", Project, IsAdmin: false);
    /// <summary>An admin acting inside the server's own project: Nova records such a lock as 'owner'.</summary>
    public static readonly Requester ProjectAdmin = new("admin-a", Project, IsAdmin: true);
    /// <summary>A cloud admin from another project: Nova records such a lock as 'admin'.</summary>
    public static readonly Requester CloudAdmin = new("admin", "admin-project", IsAdmin: true);

    public static readonly FlavorSpec Flavor = DefaultFlavors.All[0];
    public const string Image = "cirros-0.6";
    public const string Networks = "auto";
    public static readonly DateTimeOffset T0 = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    public static readonly DateTimeOffset Launched = T0.AddSeconds(30);
    public static readonly DateTimeOffset Gone = T0.AddHours(1);
    public static readonly ServerFault BuildFault = new(500, "Build of instance aborted", "libvirt error");

    public static Dictionary<string, string> Metadata() => new() { ["role"] = "web", ["tier"] = "1" };

    // Events
    public static ServerCreateRequested Created() =>
        new(ServerId, "web-1", Project, Owner.UserId, Flavor, Image, Metadata(), Networks, T0);
    public static ServerScheduled Scheduled(string host = Host, params string[] alternates) => new(ServerId, host, alternates);
    public static ServerRescheduled Rescheduled(string failedHost = Host, ServerFault? fault = null) =>
        new(ServerId, failedHost, fault ?? BuildFault);
    public static ServerSchedulingFailed SchedulingFailed() => new(ServerId, new ServerFault(500, ServerFault.NoValidHost));
    public static ServerBuildStepStarted Step(TaskState step, string host = Host) => new(ServerId, host, step);
    public static ServerBuilt Built(string host = Host) => new(ServerId, host, Launched);
    public static ServerBuildFailed BuildFailed(string host = Host) => new(ServerId, host, BuildFault);
    public static ServerStopRequested StopRequested() => new(ServerId, Host);
    public static ServerStopped Stopped() => new(ServerId, Host);
    public static ServerStartRequested StartRequested() => new(ServerId, Host);
    public static ServerStarted Started() => new(ServerId, Host);
    public static ServerRebootRequested RebootRequested(RebootType type) => new(ServerId, Host, type);
    public static ServerRebooted Rebooted() => new(ServerId, Host);
    public static ServerLocked LockedByOwner(string? reason = null) => new(ServerId, "owner", reason);
    public static ServerLocked LockedByAdmin(string? reason = null) => new(ServerId, "admin", reason);
    public static ServerUnlocked Unlocked() => new(ServerId);
    public static ServerDeleteRequested DeleteRequested(string? host = Host) => new(ServerId, host);
    public static ServerDeleted Deleted() => new(ServerId, Gone);
    public static readonly Guid ShelveImage = Guid.Parse("5d9f6a1c-2b3e-4c7d-8e9f-0a1b2c3d4e5f");
    public const string RescueImage = "rescue-image";
    public static readonly DateTimeOffset ShelvedAt = T0.AddMinutes(10);

    // Commands
    public static ServerCommand.Create Create(Requester? by = null) =>
        new(ServerId, "web-1", by ?? Owner, Flavor, Image, Metadata(), Networks, T0);
    public static ServerCommand.Stop Stop(Requester? by = null) => new(by ?? Owner);
    public static ServerCommand.Start Start(Requester? by = null) => new(by ?? Owner);
    public static ServerCommand.Reboot Reboot(RebootType type, Requester? by = null) => new(by ?? Owner, type);
    public static ServerCommand.Lock Lock(Requester? by = null, string? reason = null) => new(by ?? Owner, reason);
    public static ServerCommand.Unlock Unlock(Requester? by = null) => new(by ?? Owner);
    public static ServerCommand.Delete Delete(Requester? by = null, bool hostIsUp = true) => new(by ?? Owner, hostIsUp, Gone);
}

/// <summary>
/// Named event histories, so theory rows can say which state they start from.
/// Names follow Nova's vm_state (and task_state after a slash when one is in progress).
/// </summary>
public static class History
{
    private static readonly Dictionary<string, Func<object[]>> Histories = new()
    {
        // building, not yet on a host (task scheduling)
        ["building"] = () => [A.Created()],
        // building, host chosen, task still scheduling
        ["building/scheduled"] = () => [A.Created(), A.Scheduled()],
        ["building/networking"] = () => [A.Created(), A.Scheduled(), A.Step(TaskState.Networking)],
        ["building/block_device_mapping"] = () =>
            [A.Created(), A.Scheduled(), A.Step(TaskState.Networking), A.Step(TaskState.BlockDeviceMapping)],
        ["building/spawning"] = () =>
            [A.Created(), A.Scheduled(), A.Step(TaskState.Networking), A.Step(TaskState.BlockDeviceMapping), A.Step(TaskState.Spawning)],
        // building, the first host's build failed and the server waits for an alternate (task scheduling, no host)
        ["building/rescheduled"] = () =>
            [A.Created(), A.Scheduled(A.Host, A.OtherHost, A.ThirdHost), A.Step(TaskState.Networking), A.Step(TaskState.Spawning), A.Rescheduled()],
        ["building/deleting"] = () => [A.Created(), A.Scheduled(), A.Step(TaskState.Networking), A.DeleteRequested()],
        ["active"] = () => [A.Created(), A.Scheduled(), A.Built()],
        ["active/powering-off"] = () => [.. Of("active"), A.StopRequested()],
        ["active/rebooting"] = () => [.. Of("active"), A.RebootRequested(RebootType.Soft)],
        ["active/rebooting_hard"] = () => [.. Of("active"), A.RebootRequested(RebootType.Hard)],
        ["active/deleting"] = () => [.. Of("active"), A.DeleteRequested()],
        ["stopped"] = () => [.. Of("active"), A.StopRequested(), A.Stopped()],
        ["stopped/powering-on"] = () => [.. Of("stopped"), A.StartRequested()],
        ["stopped/rebooting_hard"] = () => [.. Of("stopped"), A.RebootRequested(RebootType.Hard)],
        ["stopped/deleting"] = () => [.. Of("stopped"), A.DeleteRequested()],
        // error after a build failure on a host
        ["error"] = () => [A.Created(), A.Scheduled(), A.BuildFailed()],
        ["error/powering-off"] = () => [.. Of("error"), A.StopRequested()],
        ["error/rebooting_hard"] = () => [.. Of("error"), A.RebootRequested(RebootType.Hard)],
        // error because no host was found: never had a host
        ["error-unscheduled"] = () => [A.Created(), A.SchedulingFailed()],
        ["deleted"] = () => [.. Of("active"), A.DeleteRequested(), A.Deleted()],
        ["active/pausing"] = () => [.. Of("active"), new ServerPauseRequested(A.ServerId, A.Host)],
        ["paused"] = () => [.. Of("active/pausing"), new ServerPaused(A.ServerId, A.Host)],
        ["paused/unpausing"] = () => [.. Of("paused"), new ServerUnpauseRequested(A.ServerId, A.Host)],
        ["active/suspending"] = () => [.. Of("active"), new ServerSuspendRequested(A.ServerId, A.Host)],
        ["suspended"] = () => [.. Of("active/suspending"), new ServerSuspended(A.ServerId, A.Host)],
        ["suspended/resuming"] = () => [.. Of("suspended"), new ServerResumeRequested(A.ServerId, A.Host)],
        ["active/rescuing"] = () => [.. Of("active"), new ServerRescueRequested(A.ServerId, A.Host, A.Image)],
        ["rescued"] = () => [.. Of("active/rescuing"), new ServerRescued(A.ServerId, A.Host)],
        ["rescued/unrescuing"] = () => [.. Of("rescued"), new ServerUnrescueRequested(A.ServerId, A.Host)],
        ["active/shelving"] = () => [.. Of("active"), new ServerShelveRequested(A.ServerId, A.Host, A.ShelveImage)],
        ["active/shelving_image_uploading"] = () =>
            [.. Of("active/shelving"), new ServerShelveStepStarted(A.ServerId, A.Host, TaskState.ShelvingImagePendingUpload),
                new ServerShelveStepStarted(A.ServerId, A.Host, TaskState.ShelvingImageUploading)],
        ["shelved"] = () => [.. Of("active/shelving_image_uploading"), new ServerShelved(A.ServerId, A.Host, A.ShelveImage, A.ShelvedAt)],
        ["shelved/shelving_offloading"] = () => [.. Of("shelved"), new ServerShelveOffloadRequested(A.ServerId, A.Host)],
        ["shelved_offloaded"] = () => [.. Of("shelved/shelving_offloading"), new ServerShelveOffloaded(A.ServerId, A.Host)],
        ["shelved_offloaded/unshelving"] = () => [.. Of("shelved_offloaded"), new ServerUnshelveRequested(A.ServerId, null)],
        ["shelved_offloaded/unshelving/scheduled"] = () => [.. Of("shelved_offloaded/unshelving"), new ServerUnshelveScheduled(A.ServerId, A.OtherHost)],
        ["shelved/unshelving"] = () => [.. Of("shelved"), new ServerUnshelveRequested(A.ServerId, A.Host)],
    };

    public static object[] Of(string name) =>
        Histories.TryGetValue(name, out var history) ? history() : throw new ArgumentException($"no history '{name}'", nameof(name));

    /// <summary>The history followed by extra events.</summary>
    public static object[] Of(string name, params object[] then) => [.. Of(name), .. then];
}
