using Nova.DiskImages;
namespace Nova.ComputeWorker.Images.Tests.Support;

/// <summary>
/// The real qemu-img behind a small script that first writes its arguments to a log, so a test can see exactly
/// what the cache asked qemu-img to do (which cache mode, how many conversions).
/// </summary>
public sealed class RecordingQemuImg
{
    private readonly string log;

    /// <param name="afterConvert">Shell run after a real <c>convert</c>, with <c>$rc</c> its exit code and
    /// <c>$target</c> its output file, e.g. to kill the wrapper as if qemu-img had died.</param>
    public RecordingQemuImg(Scratch scratch, string afterConvert = "")
    {
        log = scratch.File("qemu-img.log");
        Executable = scratch.File("qemu-img-recording");
        File.WriteAllText(Executable, $$"""
            #!/bin/sh
            echo "$*" >> '{{log}}'
            if [ "$1" = convert ]; then
              for target; do :; done
              qemu-img "$@"; rc=$?
              {{afterConvert}}
              exit $rc
            fi
            exec qemu-img "$@"
            """);
        File.SetUnixFileMode(Executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        QemuImg = new QemuImg(Executable);
    }

    public string Executable { get; }
    public QemuImg QemuImg { get; }

    public IReadOnlyList<string> Invocations() => File.Exists(log) ? File.ReadAllLines(log) : [];

    public IReadOnlyList<string> Conversions() =>
        Invocations().Where(line => line.StartsWith("convert ", StringComparison.Ordinal)).ToList();
}
