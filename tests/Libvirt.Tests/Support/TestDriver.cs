namespace Nova.Libvirt.Tests.Support;

/// <summary>libvirt's built-in test driver: in-process, no daemon, fixed host figures.</summary>
public static class TestDriver
{
    public const string Uri = "test:///default";

    // The one domain test:///default starts with (see `virsh -c test:///default dumpxml test`).
    public const string DefaultDomainName = "test";
    public static readonly Guid DefaultDomainUuid = Guid.Parse("6695eb01-f6a4-8304-79aa-97f2502e193f");

    /// <summary>A domain definition with a fresh name and UUID, so tests never collide.</summary>
    public static (Guid Uuid, string Name, string Xml) NewDomain(int vcpus = 2, ulong maxMemoryKiB = 262144, ulong memoryKiB = 131072)
    {
        var uuid = Guid.NewGuid();
        var name = $"instance-{uuid:N}";
        var xml = $"""
            <domain type='test'>
              <name>{name}</name>
              <uuid>{uuid}</uuid>
              <memory unit='KiB'>{maxMemoryKiB}</memory>
              <currentMemory unit='KiB'>{memoryKiB}</currentMemory>
              <vcpu>{vcpus}</vcpu>
              <os><type arch='i686'>hvm</type></os>
            </domain>
            """;
        return (uuid, name, xml);
    }
}
