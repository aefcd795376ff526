using Nova.Libvirt.Interop;

namespace Nova.Libvirt;

/// <summary>
/// A connection to one hypervisor through libvirt (virConnectPtr). Thread-safe as libvirt connections are;
/// domains looked up through it keep the underlying connection alive until they are disposed too.
/// </summary>
public sealed class LibvirtConnection : IDisposable
{
    private readonly ConnectionHandle _handle;

    private LibvirtConnection(ConnectionHandle handle, string uri, bool readOnly)
    {
        _handle = handle;
        Uri = uri;
        IsReadOnly = readOnly;
    }

    /// <summary>The URI this connection was opened with, e.g. <c>qemu:///system</c> or <c>test:///default</c>.</summary>
    public string Uri { get; }

    public bool IsReadOnly { get; }

    /// <summary>Opens a connection: read-write (virConnectOpen) unless <paramref name="readOnly"/> (virConnectOpenReadOnly).</summary>
    public static LibvirtConnection Open(string uri, bool readOnly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        LibvirtErrors.EnsureInitialized();
        var handle = readOnly
            ? LibvirtErrors.ThrowIfInvalid(NativeLibvirt.virConnectOpenReadOnly(uri))
            : LibvirtErrors.ThrowIfInvalid(NativeLibvirt.virConnectOpen(uri));
        return new LibvirtConnection(handle, uri, readOnly);
    }

    /// <summary>
    /// False once the connection is dead (virConnectIsAlive), e.g. libvirtd restarted: every later call on it fails and
    /// only a new connection helps. A remote connection notices a closed socket on its next call.
    /// </summary>
    public bool IsAlive => NativeLibvirt.virConnectIsAlive(_handle) == 1;

    /// <summary>The version of the libvirt library loaded in this process (virGetVersion).</summary>
    public static Version GetLibraryVersion()
    {
        LibvirtErrors.EnsureInitialized();
        LibvirtErrors.ThrowIfFailed(NativeLibvirt.virGetVersion(out var version, null, 0));
        return ToVersion(version.Value);
    }

    /// <summary>The hypervisor's version (virConnectGetVersion), e.g. QEMU 7.2.0.</summary>
    public Version GetHypervisorVersion()
    {
        LibvirtErrors.ThrowIfFailed(NativeLibvirt.virConnectGetVersion(_handle, out var version));
        return ToVersion(version.Value);
    }

    /// <summary>The host's CPUs and memory (virNodeGetInfo).</summary>
    public NodeInfo GetNodeInfo()
    {
        LibvirtErrors.ThrowIfFailed(NativeLibvirt.virNodeGetInfo(_handle, out var info));
        ReadOnlySpan<byte> model = info.Model;
        var length = model.IndexOf((byte)0);
        return new NodeInfo(
            System.Text.Encoding.UTF8.GetString(length < 0 ? model : model[..length]),
            info.Memory.Value,
            (int)info.Cpus,
            (int)info.Mhz,
            (int)info.Nodes,
            (int)info.Sockets,
            (int)info.Cores,
            (int)info.Threads);
    }

    /// <summary>Defines (or redefines, for the same name and UUID) a persistent domain; it is not started.</summary>
    public LibvirtDomain DefineXml(string domainXml)
    {
        ArgumentException.ThrowIfNullOrEmpty(domainXml);
        return new LibvirtDomain(LibvirtErrors.ThrowIfInvalid(NativeLibvirt.virDomainDefineXML(_handle, domainXml)));
    }

    /// <summary>Finds a domain by UUID; throws <see cref="LibvirtNoSuchDomainException"/> when there is none.</summary>
    public LibvirtDomain LookupByUuid(Guid uuid) =>
        new(LibvirtErrors.ThrowIfInvalid(NativeLibvirt.virDomainLookupByUUIDString(_handle, uuid.ToString("D"))));

    /// <summary>Lists domains, active and inactive, narrowed by <paramref name="filter"/>. Dispose each one.</summary>
    public unsafe IReadOnlyList<LibvirtDomain> ListAllDomains(ListDomainsFilter filter = ListDomainsFilter.All)
    {
        var count = NativeLibvirt.virConnectListAllDomains(_handle, out var array, (uint)filter);
        LibvirtErrors.ThrowIfFailed(count, nameof(NativeLibvirt.virConnectListAllDomains));
        var domains = new LibvirtDomain[count];
        try
        {
            // Each element is a reference this process now owns; the array itself is malloc'd.
            for (var i = 0; i < count; i++)
                domains[i] = new LibvirtDomain(new DomainHandle(array[i]));
        }
        finally
        {
            NativeLibc.free((nint)array);
        }
        return domains;
    }

    public void Dispose() => _handle.Dispose();

    // libvirt encodes versions as major * 1,000,000 + minor * 1,000 + release.
    private static Version ToVersion(ulong encoded) =>
        new((int)(encoded / 1_000_000), (int)(encoded / 1_000 % 1_000), (int)(encoded % 1_000));
}
