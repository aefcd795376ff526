using Nova.Libvirt.Tests.Support;

namespace Nova.Libvirt.Tests;

public class ConnectionTests
{
    [Fact]
    public void Opening_the_test_driver_gives_a_read_write_connection()
    {
        using var connection = LibvirtConnection.Open(TestDriver.Uri);

        Assert.Equal(TestDriver.Uri, connection.Uri);
        Assert.False(connection.IsReadOnly);
    }

    [Fact]
    public void Node_info_reports_the_test_drivers_fixed_host()
    {
        using var connection = LibvirtConnection.Open(TestDriver.Uri);

        var node = connection.GetNodeInfo();

        // test:///default's built-in host (virsh -c test:///default nodeinfo)
        Assert.Equal(new NodeInfo(
            CpuModel: "i686",
            MemoryKiB: 3145728,
            Cpus: 16,
            Mhz: 1400,
            NumaNodes: 2,
            SocketsPerNode: 2,
            CoresPerSocket: 2,
            ThreadsPerCore: 2), node);
    }

    [Fact]
    public void The_hypervisor_version_is_the_test_drivers()
    {
        using var connection = LibvirtConnection.Open(TestDriver.Uri);

        // The test driver reports hypervisor version 2, i.e. "TEST 0.0.2"
        Assert.Equal(new Version(0, 0, 2), connection.GetHypervisorVersion());
    }

    [Fact]
    public void The_library_version_is_decoded_from_virGetVersion()
    {
        var version = LibvirtConnection.GetLibraryVersion();

        // Debian 12 ships libvirt 9.0; the decoding would give 0.x or a huge major if the C unsigned long were misread
        Assert.InRange(version.Major, 9, 99);
        Assert.InRange(version.Minor, 0, 999);
    }

    [Fact]
    public void Listing_all_domains_finds_the_test_drivers_running_domain()
    {
        using var connection = LibvirtConnection.Open(TestDriver.Uri);

        var domains = connection.ListAllDomains();
        try
        {
            var test = Assert.Single(domains, d => d.Name == TestDriver.DefaultDomainName);
            Assert.Equal(TestDriver.DefaultDomainUuid, test.Uuid);
            Assert.Equal(DomainState.Running, test.GetState());
        }
        finally
        {
            foreach (var domain in domains) domain.Dispose();
        }
    }

    [Fact]
    public void The_list_filter_is_passed_to_libvirt()
    {
        using var connection = LibvirtConnection.Open(TestDriver.Uri);
        var (uuid, _, xml) = TestDriver.NewDomain();
        using var defined = connection.DefineXml(xml);
        try
        {
            var active = connection.ListAllDomains(ListDomainsFilter.Active);
            var inactive = connection.ListAllDomains(ListDomainsFilter.Inactive);

            Assert.Contains(active, d => d.Uuid == TestDriver.DefaultDomainUuid);
            Assert.DoesNotContain(active, d => d.Uuid == uuid);
            Assert.Contains(inactive, d => d.Uuid == uuid);
            Assert.DoesNotContain(inactive, d => d.Uuid == TestDriver.DefaultDomainUuid);
            foreach (var domain in active.Concat(inactive)) domain.Dispose();
        }
        finally
        {
            defined.Undefine(UndefineOptions.None);
        }
    }

    [Fact]
    public void Looking_up_a_domain_by_uuid_finds_it()
    {
        using var connection = LibvirtConnection.Open(TestDriver.Uri);

        using var domain = connection.LookupByUuid(TestDriver.DefaultDomainUuid);

        Assert.Equal(TestDriver.DefaultDomainName, domain.Name);
        Assert.Equal(TestDriver.DefaultDomainUuid, domain.Uuid);
    }

    [Fact]
    public void Looking_up_an_unknown_uuid_throws_no_such_domain()
    {
        using var connection = LibvirtConnection.Open(TestDriver.Uri);
        var unknown = Guid.NewGuid();

        var error = Assert.Throws<LibvirtNoSuchDomainException>(() => connection.LookupByUuid(unknown));

        Assert.Equal(LibvirtErrorCode.NoDomain, error.Code);
        Assert.Equal("virDomainLookupByUUIDString", error.Operation);
        Assert.Contains("Domain not found", error.Message);
    }

    [Fact]
    public void A_bad_uri_fails_with_libvirts_message()
    {
        var error = Assert.ThrowsAny<LibvirtException>(() => LibvirtConnection.Open("::bad"));

        Assert.IsType<LibvirtException>(error);
        Assert.Equal("virConnectOpen", error.Operation);
        Assert.Equal(LibvirtErrorCode.InternalError, error.Code);
        Assert.Equal("internal error: Unable to parse URI ::bad", error.Message);
    }

    [Fact]
    public void A_read_only_connection_can_read_but_not_define()
    {
        using var connection = LibvirtConnection.Open(TestDriver.Uri, readOnly: true);

        Assert.True(connection.IsReadOnly);
        Assert.Equal(16, connection.GetNodeInfo().Cpus);
        var error = Assert.ThrowsAny<LibvirtException>(() => connection.DefineXml(TestDriver.NewDomain().Xml));
        Assert.Equal(LibvirtErrorCode.OperationDenied, error.Code);
        Assert.Equal("virDomainDefineXML", error.Operation);
    }

    [Fact]
    public void A_domain_outlives_the_disposal_of_its_connection_object()
    {
        LibvirtDomain domain;
        using (var connection = LibvirtConnection.Open(TestDriver.Uri))
            domain = connection.LookupByUuid(TestDriver.DefaultDomainUuid);

        // libvirt counts the domain's reference to its connection: closing our handle does not pull it away
        using (domain)
            Assert.Equal(DomainState.Running, domain.GetState());
    }

    [Fact]
    public void A_disposed_connection_refuses_calls()
    {
        var connection = LibvirtConnection.Open(TestDriver.Uri);
        connection.Dispose();

        Assert.Throws<ObjectDisposedException>(() => connection.GetNodeInfo());
    }

    [Fact]
    public void A_connection_whose_daemon_went_away_fails_its_next_call_and_then_reports_itself_dead()
    {
        // The machine's libvirtd, read-only: the test driver runs in-process and has no socket to lose.
        using var connection = LibvirtConnection.Open("qemu:///system", readOnly: true);
        Assert.True(connection.IsAlive);

        Assert.True(LibvirtSockets.SeverAll() > 0);

        Assert.ThrowsAny<LibvirtException>(() => connection.GetNodeInfo());
        Assert.False(connection.IsAlive);
        using var fresh = LibvirtConnection.Open("qemu:///system", readOnly: true);
        Assert.True(fresh.IsAlive);
        Assert.True(fresh.GetNodeInfo().Cpus > 0);
    }
}
