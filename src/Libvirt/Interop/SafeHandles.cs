using Microsoft.Win32.SafeHandles;

namespace Nova.Libvirt.Interop;

/// <summary>A virConnectPtr, closed with virConnectClose.</summary>
internal sealed class ConnectionHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ConnectionHandle() : base(ownsHandle: true) { }

    // virConnectClose returns the remaining reference count (domains hold references), -1 on error.
    protected override bool ReleaseHandle() => NativeLibvirt.virConnectClose(handle) >= 0;
}

/// <summary>A virDomainPtr, released with virDomainFree (which also drops its connection reference).</summary>
internal sealed class DomainHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DomainHandle() : base(ownsHandle: true) { }

    public DomainHandle(nint existing) : base(ownsHandle: true) => SetHandle(existing);

    protected override bool ReleaseHandle() => NativeLibvirt.virDomainFree(handle) == 0;
}
