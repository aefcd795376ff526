using System.Runtime.InteropServices;

namespace Nova.Libvirt.Interop;

/// <summary>
/// The libvirt C functions the binding uses. Signatures follow libvirt's public headers;
/// every failure is a NULL or negative return, with details in the thread-local virGetLastError.
/// </summary>
internal static unsafe partial class NativeLibvirt
{
    private const string Library = "libvirt.so.0";

    [LibraryImport(Library)]
    internal static partial int virInitialize();

    [LibraryImport(Library)]
    internal static partial void virSetErrorFunc(nint userData, delegate* unmanaged[Cdecl]<nint, nint, void> handler);

    [LibraryImport(Library)]
    internal static partial VirError* virGetLastError();

    [LibraryImport(Library)]
    internal static partial void virResetLastError();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virGetVersion(out CULong libVer, string? type, nint typeVer);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial ConnectionHandle virConnectOpen(string? name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial ConnectionHandle virConnectOpenReadOnly(string? name);

    [LibraryImport(Library)]
    internal static partial int virConnectClose(nint conn);

    /// <summary>1 while the connection (for a remote one, its socket to libvirtd) is open, 0 once it is closed, -1 on error.</summary>
    [LibraryImport(Library)]
    internal static partial int virConnectIsAlive(ConnectionHandle conn);

    [LibraryImport(Library)]
    internal static partial int virConnectGetVersion(ConnectionHandle conn, out CULong hvVer);

    [LibraryImport(Library)]
    internal static partial int virNodeGetInfo(ConnectionHandle conn, out VirNodeInfo info);

    [LibraryImport(Library)]
    internal static partial int virConnectListAllDomains(ConnectionHandle conn, out nint* domains, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DomainHandle virDomainDefineXML(ConnectionHandle conn, string xml);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DomainHandle virDomainLookupByUUIDString(ConnectionHandle conn, string uuid);

    [LibraryImport(Library)]
    internal static partial int virDomainFree(nint domain);

    [LibraryImport(Library)]
    internal static partial int virDomainCreate(DomainHandle domain);

    [LibraryImport(Library)]
    internal static partial int virDomainShutdown(DomainHandle domain);

    [LibraryImport(Library)]
    internal static partial int virDomainReboot(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainDestroy(DomainHandle domain);

    [LibraryImport(Library)]
    internal static partial int virDomainUndefineFlags(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainGetState(DomainHandle domain, out int state, out int reason, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainGetInfo(DomainHandle domain, out VirDomainInfo info);

    /// <summary>Returns a string owned by the domain object: never free it.</summary>
    [LibraryImport(Library)]
    internal static partial nint virDomainGetName(DomainHandle domain);

    /// <summary>Fills a caller buffer of VIR_UUID_STRING_BUFLEN (37) bytes.</summary>
    [LibraryImport(Library)]
    internal static partial int virDomainGetUUIDString(DomainHandle domain, byte* buf);

    /// <summary>Returns a malloc'd string the caller frees.</summary>
    [LibraryImport(Library)]
    internal static partial nint virDomainGetXMLDesc(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainSuspend(DomainHandle domain);

    [LibraryImport(Library)]
    internal static partial int virDomainResume(DomainHandle domain);

    [LibraryImport(Library)]
    internal static partial int virDomainManagedSave(DomainHandle domain, uint flags);

    /// <summary>1 when the domain has a managed save image, 0 when not, -1 on error.</summary>
    [LibraryImport(Library)]
    internal static partial int virDomainHasManagedSaveImage(DomainHandle domain, uint flags);

    [LibraryImport(Library)]
    internal static partial int virDomainManagedSaveRemove(DomainHandle domain, uint flags);
}

/// <summary>libc's free(), for the memory libvirt hands over to the caller.</summary>
internal static partial class NativeLibc
{
    [LibraryImport("libc")]
    internal static partial void free(nint pointer);

    /// <summary>Copies a caller-owned C string and frees it.</summary>
    internal static string TakeString(nint pointer)
    {
        try
        {
            return Marshal.PtrToStringUTF8(pointer) ?? string.Empty;
        }
        finally
        {
            free(pointer);
        }
    }
}
