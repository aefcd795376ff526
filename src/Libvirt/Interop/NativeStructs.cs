using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nova.Libvirt.Interop;

// Layouts copied from libvirt's public headers (libvirt-host.h, libvirt-domain.h, virterror.h).
// C `unsigned long` is CULong: 64-bit on Linux x86_64, 32-bit on Windows.

/// <summary>struct _virNodeInfo</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirNodeInfo
{
    public ModelBuffer Model;   // char model[32]
    public CULong Memory;       // KiB
    public uint Cpus;
    public uint Mhz;
    public uint Nodes;
    public uint Sockets;
    public uint Cores;
    public uint Threads;

    [InlineArray(32)]
    public struct ModelBuffer
    {
        private byte _first;
    }
}

/// <summary>struct _virDomainInfo</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirDomainInfo
{
    public byte State;          // unsigned char, a virDomainState
    public CULong MaxMem;       // KiB
    public CULong Memory;       // KiB
    public ushort NrVirtCpu;
    public ulong CpuTime;       // ns
}

/// <summary>struct _virError</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirError
{
    public int Code;
    public int Domain;
    public nint Message;        // char*
    public int Level;
    public nint Conn;           // deprecated
    public nint Dom;            // deprecated
    public nint Str1;
    public nint Str2;
    public nint Str3;
    public int Int1;
    public int Int2;
    public nint Net;            // deprecated
}
