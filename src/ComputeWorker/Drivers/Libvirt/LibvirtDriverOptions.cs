namespace Nova.ComputeWorker.Drivers.Libvirt;

/// <summary>Section <c>Nova:Compute:Libvirt</c>: the hypervisor, where instances live and where images come from.</summary>
public sealed class LibvirtDriverOptions
{
    /// <summary>The libvirt connection URI (Nova's <c>connection_uri</c>).</summary>
    public string Uri { get; set; } = "qemu:///system";
    /// <summary>
    /// Nova's <c>virt_type</c>: <c>kvm</c> (hardware acceleration), <c>qemu</c> (TCG emulation), or <c>auto</c>, the
    /// default: kvm where <see cref="KvmDevice.Usable"/> says the host can, qemu otherwise.
    /// </summary>
    public string VirtType { get; set; } = "auto";
    /// <summary>Nova's <c>instances_path</c>: one folder per instance, and the image cache in <c>_base</c>.</summary>
    public string InstancesPath { get; set; } = "/var/lib/nova-es/instances";
    /// <summary>The image service's root; images are read from <c>{url}/v2/images/{id}</c> and <c>…/file</c>.</summary>
    public string ImageServiceUrl { get; set; } = "http://127.0.0.1:8774/image";
    /// <summary>Sent as <c>X-Auth-Token</c> to the image service in noauth2 mode (with Keystone, the service user's token is).</summary>
    public string ApiToken { get; set; } = "admin:admin";
    /// <summary>How long a graceful shutdown may take before the instance is powered off hard (Nova's <c>shutdown_timeout</c>).</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 60;
    /// <summary>How long a soft reboot waits for the guest to shut down before rebooting it hard (Nova's <c>wait_soft_reboot_seconds</c>).</summary>
    public int SoftRebootTimeoutSeconds { get; set; } = 120;
    /// <summary>How long a started domain may take to report RUNNING.</summary>
    public int StartTimeoutSeconds { get; set; } = 60;
    /// <summary>An image download that brings no data for this long is resumed, and fails the build after the last attempt.</summary>
    public TimeSpan ImageDownloadInactivityTimeout { get; set; } = ImageService.DefaultInactivityTimeout;
    /// <summary>Cached base images unused for longer than this are removed (Nova's <c>remove_unused_original_minimum_age_seconds</c>).</summary>
    public TimeSpan ImageCacheMaxUnusedAge { get; set; } = TimeSpan.FromHours(24);
}
