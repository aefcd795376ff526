using Nova.Libvirt.Tests.Support;

namespace Nova.Libvirt.Tests;

public sealed class DomainLifecycleTests : IDisposable
{
    private const UndefineOptions TestDriverCleanup = UndefineOptions.ManagedSave | UndefineOptions.SnapshotsMetadata;

    private readonly LibvirtConnection _connection = LibvirtConnection.Open(TestDriver.Uri);

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void A_defined_domain_is_shut_off_and_carries_its_name_and_uuid()
    {
        var (uuid, name, xml) = TestDriver.NewDomain();

        using var domain = _connection.DefineXml(xml);
        try
        {
            Assert.Equal(name, domain.Name);
            Assert.Equal(uuid, domain.Uuid);
            Assert.Equal(DomainState.Shutoff, domain.GetState());
            using var found = _connection.LookupByUuid(uuid);
            Assert.Equal(name, found.Name);
        }
        finally
        {
            domain.Undefine(TestDriverCleanup);
        }
    }

    [Fact]
    public void Starting_a_domain_runs_it_with_the_vcpus_and_memory_of_its_xml()
    {
        var (_, _, xml) = TestDriver.NewDomain(vcpus: 3, maxMemoryKiB: 524288, memoryKiB: 262144);
        using var domain = _connection.DefineXml(xml);
        try
        {
            domain.Create();

            Assert.Equal(DomainState.Running, domain.GetState());
            var info = domain.GetInfo();
            Assert.Equal(DomainState.Running, info.State);
            Assert.Equal(3, info.VirtualCpus);
            Assert.Equal(524288UL, info.MaxMemoryKiB);
            Assert.Equal(262144UL, info.MemoryKiB);
        }
        finally
        {
            domain.Destroy();
            domain.Undefine(TestDriverCleanup);
        }
    }

    [Fact]
    public void Shutting_down_a_running_domain_turns_it_off()
    {
        using var domain = _connection.DefineXml(TestDriver.NewDomain().Xml);
        try
        {
            domain.Create();

            domain.Shutdown();

            Assert.Equal(DomainState.Shutoff, domain.GetState());
            Assert.Equal(DomainState.Shutoff, domain.GetInfo().State);
        }
        finally
        {
            domain.Undefine(TestDriverCleanup);
        }
    }

    [Fact]
    public void Destroying_a_running_domain_turns_it_off_and_keeps_it_defined()
    {
        var (uuid, _, xml) = TestDriver.NewDomain();
        using var domain = _connection.DefineXml(xml);
        try
        {
            domain.Create();

            domain.Destroy();

            Assert.Equal(DomainState.Shutoff, domain.GetState());
            using var stillDefined = _connection.LookupByUuid(uuid);
            Assert.Equal(DomainState.Shutoff, stillDefined.GetState());
        }
        finally
        {
            domain.Undefine(TestDriverCleanup);
        }
    }

    [Fact]
    public void A_stopped_domain_starts_again()
    {
        using var domain = _connection.DefineXml(TestDriver.NewDomain().Xml);
        try
        {
            domain.Create();
            domain.Destroy();

            domain.Create();

            Assert.Equal(DomainState.Running, domain.GetState());
        }
        finally
        {
            domain.Destroy();
            domain.Undefine(TestDriverCleanup);
        }
    }

    [Fact]
    public void Rebooting_a_running_domain_leaves_it_running()
    {
        using var domain = _connection.DefineXml(TestDriver.NewDomain().Xml);
        try
        {
            domain.Create();

            domain.Reboot(RebootMethod.AcpiPowerButton);

            Assert.Equal(DomainState.Running, domain.GetState());
        }
        finally
        {
            domain.Destroy();
            domain.Undefine(TestDriverCleanup);
        }
    }

    [Fact]
    public void Undefining_a_domain_makes_lookups_fail_with_no_such_domain()
    {
        var (uuid, _, xml) = TestDriver.NewDomain();
        using var domain = _connection.DefineXml(xml);

        domain.Undefine(TestDriverCleanup);

        var error = Assert.Throws<LibvirtNoSuchDomainException>(() => _connection.LookupByUuid(uuid));
        Assert.Equal(LibvirtErrorCode.NoDomain, error.Code);
        Assert.Contains("Domain not found", error.Message);
        // The handle we still hold now points at nothing
        Assert.Throws<LibvirtNoSuchDomainException>(() => domain.GetState());
    }

    [Fact]
    public void Undefining_a_running_domain_leaves_it_running_until_destroyed()
    {
        var (uuid, _, xml) = TestDriver.NewDomain();
        using var domain = _connection.DefineXml(xml);
        domain.Create();

        domain.Undefine(TestDriverCleanup);

        Assert.Equal(DomainState.Running, domain.GetState());
        domain.Destroy();
        Assert.Throws<LibvirtNoSuchDomainException>(() => _connection.LookupByUuid(uuid));
    }

    [Fact]
    public void Starting_a_running_domain_fails_with_libvirts_message()
    {
        var (_, name, xml) = TestDriver.NewDomain();
        using var domain = _connection.DefineXml(xml);
        try
        {
            domain.Create();

            var error = Assert.ThrowsAny<LibvirtException>(() => domain.Create());

            // The test driver reports this as an internal error; the QEMU driver as an invalid operation
            Assert.Equal("virDomainCreate", error.Operation);
            Assert.Equal($"internal error: Domain '{name}' is already running", error.Message);
            Assert.Equal(DomainState.Running, domain.GetState());
        }
        finally
        {
            domain.Destroy();
            domain.Undefine(TestDriverCleanup);
        }
    }

    [Fact]
    public void Destroying_a_stopped_domain_is_an_invalid_operation()
    {
        using var domain = _connection.DefineXml(TestDriver.NewDomain().Xml);
        try
        {
            var error = Assert.Throws<LibvirtOperationInvalidException>(() => domain.Destroy());

            Assert.Equal(LibvirtErrorCode.OperationInvalid, error.Code);
            Assert.Equal("virDomainDestroy", error.Operation);
            Assert.Contains("domain is not running", error.Message);
        }
        finally
        {
            domain.Undefine(TestDriverCleanup);
        }
    }

    [Fact]
    public void Rebooting_a_stopped_domain_is_an_invalid_operation_and_does_not_start_it()
    {
        using var domain = _connection.DefineXml(TestDriver.NewDomain().Xml);
        try
        {
            var error = Assert.Throws<LibvirtOperationInvalidException>(() => domain.Reboot());

            Assert.Equal("virDomainReboot", error.Operation);
            Assert.Equal(DomainState.Shutoff, domain.GetState());
        }
        finally
        {
            domain.Undefine(TestDriverCleanup);
        }
    }

    [Fact]
    public void Flags_a_driver_does_not_support_fail_with_libvirts_message()
    {
        using var domain = _connection.DefineXml(TestDriver.NewDomain().Xml);
        try
        {
            // The test driver accepts only ManagedSave | SnapshotsMetadata
            var error = Assert.ThrowsAny<LibvirtException>(() => domain.Undefine(UndefineOptions.Tpm));

            Assert.Equal(LibvirtErrorCode.InvalidArgument, error.Code);
            Assert.Contains("flags", error.Message);
        }
        finally
        {
            domain.Undefine(TestDriverCleanup);
        }
    }

    [Fact]
    public void The_xml_description_is_the_domains_definition()
    {
        var (uuid, name, xml) = TestDriver.NewDomain(vcpus: 4);
        using var domain = _connection.DefineXml(xml);
        try
        {
            var description = System.Xml.Linq.XElement.Parse(domain.GetXmlDesc(DomainXmlOptions.Inactive));

            Assert.Equal(name, (string?)description.Element("name"));
            Assert.Equal(uuid, Guid.Parse((string)description.Element("uuid")!));
            Assert.Equal("4", (string?)description.Element("vcpu"));
        }
        finally
        {
            domain.Undefine(TestDriverCleanup);
        }
    }

    [Fact]
    public void Xml_that_is_not_well_formed_fails_with_libvirts_message()
    {
        var error = Assert.ThrowsAny<LibvirtException>(() => _connection.DefineXml("<domain type='test'><name>broken</name>"));

        Assert.Equal(LibvirtErrorCode.XmlDetail, error.Code);
        Assert.Equal("virDomainDefineXML", error.Operation);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void A_definition_libvirt_rejects_fails_with_libvirts_message()
    {
        // Well-formed, but a domain needs a name
        var error = Assert.ThrowsAny<LibvirtException>(() =>
            _connection.DefineXml("<domain type='test'><memory>1024</memory><os><type>hvm</type></os></domain>"));

        Assert.Contains("name", error.Message);
        using var stillThere = _connection.LookupByUuid(TestDriver.DefaultDomainUuid);
        Assert.Equal(DomainState.Running, stillThere.GetState());
    }
}
