namespace Nova.DiskImages;

/// <summary>qemu-img exited non-zero or ran out of time; carries what it wrote to stderr.</summary>
public sealed class QemuImgException(IReadOnlyList<string> arguments, int? exitCode, string standardError, string reason)
    : Exception($"qemu-img {string.Join(' ', arguments)}: {reason}: {standardError.Trim()}")
{
    public IReadOnlyList<string> Arguments { get; } = arguments;
    /// <summary>Null when qemu-img was killed for running past its time limit.</summary>
    public int? ExitCode { get; } = exitCode;
    public string StandardError { get; } = standardError;
    public bool TimedOut => ExitCode is null;
}
