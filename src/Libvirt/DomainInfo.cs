namespace Nova.Libvirt;

/// <summary>virDomainInfo: the runtime figures of one domain.</summary>
/// <param name="MaxMemoryKiB">The most memory the domain may use (its &lt;memory&gt;).</param>
/// <param name="MemoryKiB">The memory it has now (its &lt;currentMemory&gt;).</param>
/// <param name="VirtualCpus">Its number of virtual CPUs.</param>
/// <param name="CpuTime">CPU time it has used.</param>
public sealed record DomainInfo(DomainState State, ulong MaxMemoryKiB, ulong MemoryKiB, int VirtualCpus, TimeSpan CpuTime);
