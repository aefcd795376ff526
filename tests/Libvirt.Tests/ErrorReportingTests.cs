using Nova.Libvirt.Tests.Support;

namespace Nova.Libvirt.Tests;

public class ErrorReportingTests
{
    [Fact]
    public void Failing_calls_print_nothing_to_stderr()
    {
        using var connection = LibvirtConnection.Open(TestDriver.Uri);

        var printed = StandardErrorCapture.Run(() =>
        {
            Assert.ThrowsAny<LibvirtException>(() => LibvirtConnection.Open("::bad"));
            Assert.Throws<LibvirtNoSuchDomainException>(() => connection.LookupByUuid(Guid.NewGuid()));
            Assert.ThrowsAny<LibvirtException>(() => connection.DefineXml("<domain"));
        });

        Assert.Equal("", printed);
    }

    [Fact]
    public void The_stderr_capture_sees_what_c_code_writes()
    {
        // Guards the test above: if the capture missed fd 2, an empty result would prove nothing
        var printed = StandardErrorCapture.Run(() => StandardErrorCapture.WriteRaw("libvirt: error\n"));

        Assert.Equal("libvirt: error\n", printed);
    }

    [Fact]
    public void Each_thread_gets_its_own_error()
    {
        using var connection = LibvirtConnection.Open(TestDriver.Uri);
        var domains = Enumerable.Range(0, 8).Select(_ => connection.DefineXml(TestDriver.NewDomain().Xml)).ToArray();
        try
        {
            var names = domains.Select(d => d.Name).ToArray();
            var messages = new string[64];

            // Shutting down a stopped test domain fails with a message naming that domain
            Parallel.For(0, messages.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
                messages[i] = Assert.ThrowsAny<LibvirtException>(() => domains[i % domains.Length].Shutdown()).Message);

            // libvirt's last error is thread-local; a binding that read it late or from the wrong thread mixes these up
            for (var i = 0; i < messages.Length; i++)
                Assert.Equal($"internal error: domain '{names[i % names.Length]}' not running", messages[i]);
        }
        finally
        {
            foreach (var domain in domains)
            {
                domain.Undefine(UndefineOptions.None);
                domain.Dispose();
            }
        }
    }

    [Fact]
    public void A_handled_error_does_not_linger_into_the_next_call()
    {
        using var connection = LibvirtConnection.Open(TestDriver.Uri);
        Assert.Throws<LibvirtNoSuchDomainException>(() => connection.LookupByUuid(Guid.NewGuid()));

        // The next failure reports its own error, not the previous one
        var error = Assert.ThrowsAny<LibvirtException>(() => connection.DefineXml("<domain"));
        Assert.IsNotType<LibvirtNoSuchDomainException>(error);
        Assert.Equal("virDomainDefineXML", error.Operation);
    }
}
