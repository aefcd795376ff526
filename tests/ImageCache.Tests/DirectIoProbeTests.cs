using Nova.ComputeWorker.Images.Tests.Support;

namespace Nova.ComputeWorker.Images.Tests;

public sealed class DirectIoProbeTests : IDisposable
{
    private readonly Scratch scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void The_ext4_tmp_folder_of_this_machine_accepts_O_DIRECT_and_the_probe_leaves_no_file()
    {
        var folder = scratch.Folder("instances");

        Assert.True(DirectIoProbe.Supports(folder));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public void A_folder_that_does_not_exist_does_not_support_it()
    {
        Assert.False(DirectIoProbe.Supports(scratch.File("missing")));
    }

    [Fact]
    public void A_folder_where_no_file_can_be_created_does_not_support_it()
    {
        Assert.False(DirectIoProbe.Supports("/proc/self"));
    }
}
