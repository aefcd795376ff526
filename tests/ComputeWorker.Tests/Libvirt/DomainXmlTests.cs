using System.Xml.Linq;
using Nova.ComputeWorker.Drivers.Libvirt;
using Nova.DiskImages;

namespace Nova.ComputeWorker.Tests.Libvirt;

public class DomainXmlTests
{
    private static readonly Guid ServerId = Guid.Parse("3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b");

    private static DomainSpec Spec(QemuCacheMode cache = QemuCacheMode.None, bool kvm = false, bool network = false) => new(
        ServerId, "demo", "m1.tiny", Vcpus: 2, MemoryMb: 512,
        DiskPath: "/var/lib/nova-es/instances/" + ServerId + "/disk",
        ConsoleLogPath: "/var/lib/nova-es/instances/" + ServerId + "/console.log",
        DiskCache: cache, UseKvm: kvm, WithNetwork: network);

    private static XElement Parse(DomainSpec spec) => XElement.Parse(DomainXml.Build(spec));

    [Fact]
    public void The_domain_is_named_after_the_server_and_carries_its_uuid()
    {
        var domain = Parse(Spec());

        Assert.Equal("instance-3f2a9c1e", domain.Element("name")!.Value);
        Assert.Equal(ServerId, Guid.Parse(domain.Element("uuid")!.Value));
    }

    [Fact]
    public void Memory_and_vcpus_come_from_the_flavor()
    {
        var domain = Parse(Spec());

        Assert.Equal("512", domain.Element("memory")!.Value);
        Assert.Equal("MiB", domain.Element("memory")!.Attribute("unit")!.Value);
        Assert.Equal("512", domain.Element("currentMemory")!.Value);
        Assert.Equal("2", domain.Element("vcpu")!.Value);
    }

    [Theory]
    [InlineData(QemuCacheMode.None, "none")]
    [InlineData(QemuCacheMode.Writeback, "writeback")]
    public void The_overlay_is_a_virtio_qcow2_disk_with_the_probed_cache_mode(QemuCacheMode mode, string expected)
    {
        var disk = Assert.Single(Parse(Spec(cache: mode)).Element("devices")!.Elements("disk"));

        Assert.Equal("/var/lib/nova-es/instances/" + ServerId + "/disk", disk.Element("source")!.Attribute("file")!.Value);
        Assert.Equal("qcow2", disk.Element("driver")!.Attribute("type")!.Value);
        Assert.Equal(expected, disk.Element("driver")!.Attribute("cache")!.Value);
        Assert.Equal("virtio", disk.Element("target")!.Attribute("bus")!.Value);
        Assert.Equal("vda", disk.Element("target")!.Attribute("dev")!.Value);
    }

    [Fact]
    public void A_rescue_domain_boots_the_rescue_disk_first_and_carries_the_own_disk_second()
    {
        var folder = "/var/lib/nova-es/instances/" + ServerId;
        var xml = Parse(Spec() with { DiskPath = folder + "/disk.rescue", SecondDiskPath = folder + "/disk" });

        var disks = xml.Element("devices")!.Elements("disk")
            .Select(d => (d.Element("source")!.Attribute("file")!.Value, d.Element("target")!.Attribute("dev")!.Value)).ToList();
        Assert.Equal([(folder + "/disk.rescue", "vda"), (folder + "/disk", "vdb")], disks);
        Assert.Equal("hd", xml.Element("os")!.Element("boot")!.Attribute("dev")!.Value);
    }

    [Fact]
    public void Without_a_second_disk_there_is_one()
    {
        Assert.Single(Parse(Spec()).Element("devices")!.Elements("disk"));
    }

    [Fact]
    public void The_serial_console_is_logged_to_the_instance_folder()
    {
        var serial = Assert.Single(Parse(Spec()).Element("devices")!.Elements("serial"));

        Assert.Equal("file", serial.Attribute("type")!.Value);
        Assert.Equal("/var/lib/nova-es/instances/" + ServerId + "/console.log", serial.Element("source")!.Attribute("path")!.Value);
    }

    [Fact]
    public void With_networks_none_there_is_no_interface()
    {
        Assert.Empty(Parse(Spec(network: false)).Element("devices")!.Elements("interface"));
    }

    [Fact]
    public void With_a_network_the_guest_gets_one_virtio_interface()
    {
        var nic = Assert.Single(Parse(Spec(network: true)).Element("devices")!.Elements("interface"));

        Assert.Equal("virtio", nic.Element("model")!.Attribute("type")!.Value);
    }

    [Theory]
    [InlineData(true, "kvm")]
    [InlineData(false, "qemu")]
    public void The_domain_type_is_kvm_only_when_kvm_is_usable(bool kvm, string expected)
    {
        Assert.Equal(expected, Parse(Spec(kvm: kvm)).Attribute("type")!.Value);
    }

    [Fact]
    public void There_is_no_graphics_device()
    {
        Assert.Empty(Parse(Spec()).Descendants("graphics"));
    }

    [Fact]
    public void A_display_name_with_markup_stays_text()
    {
        var xml = DomainXml.Build(Spec() with { DisplayName = "<evil>&\"'" });

        var name = XElement.Parse(xml).Descendants().Single(e => e.Name.LocalName == "name" && e.Parent!.Name.LocalName == "instance");
        Assert.Equal("<evil>&\"'", name.Value);
    }
}
