using System.Runtime.InteropServices;
using Nova.Libvirt.Interop;

namespace Nova.Libvirt;

/// <summary>
/// A reference to one libvirt domain (virDomainPtr). The domain itself lives in libvirt: disposing this
/// only releases the reference. Failures throw <see cref="LibvirtException"/> or one of its subclasses.
/// </summary>
public sealed class LibvirtDomain : IDisposable
{
    // VIR_UUID_STRING_BUFLEN: 36 characters and the terminating NUL
    private const int UuidStringLength = 37;

    private readonly DomainHandle _handle;

    internal LibvirtDomain(DomainHandle handle) => _handle = handle;

    /// <summary>The domain's name (virDomainGetName).</summary>
    public string Name =>
        Marshal.PtrToStringUTF8(LibvirtErrors.ThrowIfNull(NativeLibvirt.virDomainGetName(_handle))) ?? string.Empty;

    /// <summary>The domain's UUID (virDomainGetUUIDString).</summary>
    public unsafe Guid Uuid
    {
        get
        {
            var buffer = stackalloc byte[UuidStringLength];
            LibvirtErrors.ThrowIfFailed(NativeLibvirt.virDomainGetUUIDString(_handle, buffer));
            return Guid.Parse(new ReadOnlySpan<byte>(buffer, UuidStringLength - 1));
        }
    }

    /// <summary>Starts the defined domain (virDomainCreate). Throws <see cref="LibvirtOperationInvalidException"/> when it already runs.</summary>
    public void Create() => LibvirtErrors.ThrowIfFailed(NativeLibvirt.virDomainCreate(_handle));

    /// <summary>Asks the guest to shut down (virDomainShutdown); returns before it is off, the guest may ignore it.</summary>
    public void Shutdown() => LibvirtErrors.ThrowIfFailed(NativeLibvirt.virDomainShutdown(_handle));

    /// <summary>Asks the guest to reboot (virDomainReboot).</summary>
    public void Reboot(RebootMethod method = RebootMethod.Default) =>
        LibvirtErrors.ThrowIfFailed(NativeLibvirt.virDomainReboot(_handle, (uint)method));

    /// <summary>Powers the domain off at once (virDomainDestroy); a persistent domain stays defined.</summary>
    public void Destroy() => LibvirtErrors.ThrowIfFailed(NativeLibvirt.virDomainDestroy(_handle));

    /// <summary>
    /// Removes the persistent definition (virDomainUndefineFlags). A running domain keeps running as a transient one
    /// until destroyed. For QEMU pass ManagedSave | SnapshotsMetadata | CheckpointsMetadata | Nvram so nothing blocks
    /// or outlives the undefine; the test driver accepts only ManagedSave | SnapshotsMetadata.
    /// </summary>
    public void Undefine(UndefineOptions options) =>
        LibvirtErrors.ThrowIfFailed(NativeLibvirt.virDomainUndefineFlags(_handle, (uint)options));

    /// <summary>The domain's current state (virDomainGetState).</summary>
    public DomainState GetState()
    {
        LibvirtErrors.ThrowIfFailed(NativeLibvirt.virDomainGetState(_handle, out var state, out _, 0));
        return (DomainState)state;
    }

    /// <summary>State, memory, vCPUs and CPU time (virDomainGetInfo).</summary>
    public DomainInfo GetInfo()
    {
        LibvirtErrors.ThrowIfFailed(NativeLibvirt.virDomainGetInfo(_handle, out var info));
        return new DomainInfo(
            (DomainState)info.State,
            info.MaxMem.Value,
            info.Memory.Value,
            info.NrVirtCpu,
            TimeSpan.FromTicks((long)(info.CpuTime / 100)));
    }

    /// <summary>The domain's XML description (virDomainGetXMLDesc).</summary>
    public string GetXmlDesc(DomainXmlOptions options = DomainXmlOptions.None) =>
        NativeLibc.TakeString(LibvirtErrors.ThrowIfNull(NativeLibvirt.virDomainGetXMLDesc(_handle, (uint)options)));

    /// <summary>Freezes the guest's vCPUs (virDomainSuspend): state PAUSED, the QEMU process and its memory stay.</summary>
    public void Suspend() => LibvirtErrors.ThrowIfFailed(NativeLibvirt.virDomainSuspend(_handle));

    /// <summary>Lets a paused guest run again (virDomainResume).</summary>
    public void Resume() => LibvirtErrors.ThrowIfFailed(NativeLibvirt.virDomainResume(_handle));

    /// <summary>
    /// Saves the guest's memory to libvirt's managed save image and stops its QEMU process (virDomainManagedSave):
    /// state SHUTOFF; the next <see cref="Create"/> restores from the image.
    /// </summary>
    public void ManagedSave() => LibvirtErrors.ThrowIfFailed(NativeLibvirt.virDomainManagedSave(_handle, 0));

    /// <summary>Whether a managed save image waits for the next start (virDomainHasManagedSaveImage).</summary>
    public bool HasManagedSaveImage
    {
        get
        {
            var result = NativeLibvirt.virDomainHasManagedSaveImage(_handle, 0);
            LibvirtErrors.ThrowIfFailed(result);
            return result == 1;
        }
    }

    /// <summary>Discards the managed save image: the next start is a cold boot (virDomainManagedSaveRemove).</summary>
    public void RemoveManagedSave() => LibvirtErrors.ThrowIfFailed(NativeLibvirt.virDomainManagedSaveRemove(_handle, 0));

    public void Dispose() => _handle.Dispose();
}
