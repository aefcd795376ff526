using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nova.ComputeWorker.Drivers.Fake;
using Nova.ComputeWorker.Drivers.Libvirt;
using Nova.ComputeWorker.Instances;

namespace Nova.ComputeWorker.Tests.Libvirt;

public class LibvirtDriverSelectionTests
{
    private static IReadOnlyList<ComputeNode> Nodes(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddComputeWorker(config);
        return services.Where(d => d.ServiceType == typeof(ComputeNode))
            .Select(d => (ComputeNode)d.ImplementationInstance!).ToList();
    }

    [Fact]
    public void The_libvirt_options_default_to_novas_usual_setup()
    {
        var options = new LibvirtDriverOptions();

        Assert.Equal("qemu:///system", options.Uri);
        Assert.Equal("/var/lib/nova-es/instances", options.InstancesPath);
        Assert.Equal("http://127.0.0.1:8774/image", options.ImageServiceUrl);
        Assert.Equal("admin:admin", options.ApiToken);
        Assert.Equal(60, options.ShutdownTimeoutSeconds);
        Assert.Equal(TimeSpan.FromHours(24), options.ImageCacheMaxUnusedAge);
    }

    [Fact]
    public void Driver_libvirt_serves_this_machine_as_one_host_with_the_configured_settings()
    {
        var nodes = Nodes(new()
        {
            ["Nova:Compute:Driver"] = "libvirt",
            ["Nova:Compute:Libvirt:Uri"] = "test:///default",
            ["Nova:Compute:Libvirt:ShutdownTimeoutSeconds"] = "5",
            ["Nova:Compute:Libvirt:ImageCacheMaxUnusedAge"] = "02:00:00",
        });

        var node = Assert.Single(nodes);
        Assert.Equal(Environment.MachineName, node.Name);
        Assert.IsType<LibvirtDriver>(node.Driver);
        Assert.Equal("QEMU", node.Driver.HypervisorType);
    }

    [Fact]
    public void The_bound_libvirt_options_carry_the_configured_values()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Nova:Compute:Driver"] = "libvirt",
            ["Nova:Compute:Libvirt:Uri"] = "qemu:///session",
            ["Nova:Compute:Libvirt:InstancesPath"] = "/srv/instances",
            ["Nova:Compute:Libvirt:ApiToken"] = "secret",
            ["Nova:Compute:Libvirt:ImageCacheMaxUnusedAge"] = "02:00:00",
        }).Build();

        var options = config.GetSection("Nova:Compute").Get<ComputeWorkerOptions>()!;

        Assert.Equal("qemu:///session", options.Libvirt.Uri);
        Assert.Equal("/srv/instances", options.Libvirt.InstancesPath);
        Assert.Equal("secret", options.Libvirt.ApiToken);
        Assert.Equal(TimeSpan.FromHours(2), options.Libvirt.ImageCacheMaxUnusedAge);
    }

    [Fact]
    public void The_fake_driver_stays_the_default()
    {
        var node = Assert.Single(Nodes(new()));

        Assert.IsType<FakeDriver>(node.Driver);
        Assert.Equal("fake-1", node.Name);
    }

    [Fact]
    public void An_unknown_driver_is_refused_at_startup()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Nodes(new() { ["Nova:Compute:Driver"] = "xen" }));

        Assert.Contains("libvirt", error.Message);
    }
}
