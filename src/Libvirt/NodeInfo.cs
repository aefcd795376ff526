namespace Nova.Libvirt;

/// <summary>virNodeInfo: what the hypervisor host offers, for the compute host's resource report.</summary>
/// <param name="CpuModel">CPU model string (e.g. "x86_64").</param>
/// <param name="MemoryKiB">Host memory in KiB.</param>
/// <param name="Cpus">Active CPUs.</param>
/// <param name="Mhz">Expected CPU frequency, 0 when unknown.</param>
/// <param name="NumaNodes">NUMA cells (1 for uniform memory access or unusual topologies).</param>
/// <param name="SocketsPerNode">CPU sockets per NUMA node.</param>
/// <param name="CoresPerSocket">Cores per socket.</param>
/// <param name="ThreadsPerCore">Threads per core.</param>
public sealed record NodeInfo(
    string CpuModel,
    ulong MemoryKiB,
    int Cpus,
    int Mhz,
    int NumaNodes,
    int SocketsPerNode,
    int CoresPerSocket,
    int ThreadsPerCore);
