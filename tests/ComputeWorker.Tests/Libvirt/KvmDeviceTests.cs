using Nova.ComputeWorker.Drivers.Libvirt;

namespace Nova.ComputeWorker.Tests.Libvirt;

/// <summary>KVM is used only where the CPU can run it: a /dev/kvm alone (a microVM's pass-through) is not enough.</summary>
public sealed class KvmDeviceTests
{
    [Theory]
    [InlineData("flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov vmx ssse3\n", true)]
    [InlineData("processor\t: 0\nflags\t\t: fpu svm sse2\nbugs\t\t: \n", true)]
    [InlineData("flags\t\t: fpu vme de pse tsc msr pae hypervisor lahf_lm\nbugs\t\t: spectre_v1\n", false)]
    [InlineData("model name\t: vmx-like cpu name\nflags\t\t: fpu sse2\n", false)]
    [InlineData("", false)]
    public void Only_a_cpu_advertising_vt_x_or_amd_v_runs_kvm(string cpuinfo, bool expected) =>
        Assert.Equal(expected, KvmDevice.CpuAdvertisesVirtualization(cpuinfo));
}
