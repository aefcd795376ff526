using System.Xml.Linq;
using Nova.DiskImages;

namespace Nova.ComputeWorker.Drivers.Libvirt;

/// <summary>What the domain definition of one instance is made of.</summary>
/// <param name="UseKvm">Hardware acceleration (<c>type='kvm'</c>) rather than TCG emulation (<c>type='qemu'</c>).</param>
/// <param name="DiskCache">The overlay's cache mode: <c>none</c> where the instance folder accepts O_DIRECT.</param>
/// <param name="SecondDiskPath">A second disk (vdb): a rescued instance's own disk, behind the rescue disk it boots from.</param>
public sealed record DomainSpec(
    Guid ServerId, string DisplayName, string FlavorName, int Vcpus, int MemoryMb,
    string DiskPath, string ConsoleLogPath, QemuCacheMode DiskCache, bool UseKvm, bool WithNetwork,
    string? SecondDiskPath = null);

/// <summary>
/// Libvirt domain XML for an instance, built from the flavor and the instance's files. Pure: no I/O.
/// </summary>
/// <remarks>
/// Nova names domains <c>instance-%08x</c> after the instance's database id; this control plane has no integer
/// ids, so the name is <c>instance-</c> and the first 8 hex digits of the server's UUID. The UUID is the domain's
/// identity (every lookup is by UUID); the name is for operators reading <c>virsh list</c>. No graphics device
/// (libvirt rejects <c>type='none'</c>; without one QEMU runs headless); the console is the serial port, written to
/// <c>console.log</c> for os-getConsoleOutput.
/// </remarks>
public static class DomainXml
{
    public const string NamePrefix = "instance-";
    private static readonly XNamespace Nova = "http://openstack.org/xmlns/libvirt/nova/1.1";

    public static string NameOf(Guid serverId) => NamePrefix + serverId.ToString("N")[..8];

    public static string Build(DomainSpec spec)
    {
        var devices = new XElement("devices", Disk(spec.DiskPath, "vda", spec.DiskCache));
        if (spec.SecondDiskPath is { } second) devices.Add(Disk(second, "vdb", spec.DiskCache));
        if (spec.WithNetwork)
        {
            // No network service exists yet: user-mode networking gives the guest outbound access without bridges.
            devices.Add(new XElement("interface", new XAttribute("type", "user"),
                new XElement("model", new XAttribute("type", "virtio"))));
        }
        devices.Add(
            new XElement("serial", new XAttribute("type", "file"),
                new XElement("source", new XAttribute("path", spec.ConsoleLogPath)),
                new XElement("target", new XAttribute("port", "0"))),
            new XElement("console", new XAttribute("type", "file"),
                new XElement("source", new XAttribute("path", spec.ConsoleLogPath)),
                new XElement("target", new XAttribute("type", "serial"), new XAttribute("port", "0"))),
            new XElement("memballoon", new XAttribute("model", "virtio")));

        var domain = new XElement("domain", new XAttribute("type", spec.UseKvm ? "kvm" : "qemu"),
            new XElement("name", NameOf(spec.ServerId)),
            new XElement("uuid", spec.ServerId.ToString("D")),
            new XElement("metadata",
                new XElement(Nova + "instance", new XAttribute(XNamespace.Xmlns + "nova", Nova),
                    new XElement(Nova + "name", spec.DisplayName),
                    new XElement(Nova + "flavor", new XAttribute("name", spec.FlavorName)))),
            new XElement("memory", new XAttribute("unit", "MiB"), spec.MemoryMb),
            new XElement("currentMemory", new XAttribute("unit", "MiB"), spec.MemoryMb),
            new XElement("vcpu", spec.Vcpus),
            new XElement("os",
                new XElement("type", new XAttribute("arch", "x86_64"), "hvm"),
                new XElement("boot", new XAttribute("dev", "hd"))),
            new XElement("features", new XElement("acpi"), new XElement("apic")),
            new XElement("clock", new XAttribute("offset", "utc")),
            new XElement("on_poweroff", "destroy"),
            new XElement("on_reboot", "restart"),
            new XElement("on_crash", "destroy"),
            devices);
        return domain.ToString();
    }

    /// <summary>The flavor name a definition was built for (its Nova metadata); null when it has none.</summary>
    public static string? FlavorOf(string xml) =>
        (string?)XElement.Parse(xml).Element("metadata")?.Element(Nova + "instance")?.Element(Nova + "flavor")?.Attribute("name");

    /// <summary>Whether every disk of a domain definition is a file under <paramref name="folder"/>.</summary>
    public static bool DisksUnder(string xml, string folder)
    {
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        var files = XElement.Parse(xml).Elements("devices").Elements("disk")
            .Select(d => (string?)d.Element("source")?.Attribute("file")).ToList();
        return files.Count > 0 && files.All(f => f is not null && f.StartsWith(prefix, StringComparison.Ordinal));
    }

    private static XElement Disk(string path, string target, QemuCacheMode cache) =>
        new("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "qcow2"),
                new XAttribute("cache", cache == QemuCacheMode.None ? "none" : "writeback")),
            new XElement("source", new XAttribute("file", path)),
            new XElement("target", new XAttribute("dev", target), new XAttribute("bus", "virtio")));
}
