using System.Text.Json;

namespace Nova.DiskImages;

/// <summary>What <c>qemu-img info --output=json</c> says about one image.</summary>
/// <param name="Format">Detected (or, with <c>-f</c>, asserted) format: <c>raw</c>, <c>qcow2</c>, …</param>
/// <param name="BackingFilename">As written in the image header; may be relative to the image.</param>
/// <param name="FullBackingFilename">The backing file resolved by qemu-img, when it could resolve it.</param>
/// <param name="DataFile">qcow2 external data file: like a backing file, it lets an image read other host files.</param>
public sealed record QemuImageInfo(
    string Filename,
    string Format,
    long VirtualSize,
    long? ActualSize,
    long? ClusterSize,
    string? BackingFilename,
    string? FullBackingFilename,
    string? BackingFormat,
    string? DataFile,
    bool Encrypted,
    bool DirtyFlag,
    bool Corrupt = false)
{
    public bool HasBackingFile => BackingFilename is not null;

    /// <summary>
    /// Why this image may not be used as <paramref name="declaredFormat"/>, or null when it may: one rule set for
    /// an upload to the image API and for a compute host's fetch, so neither accepts what the other refuses.
    /// </summary>
    public (ImageRefusal Reason, string Detail)? RefusalFor(string declaredFormat)
    {
        if (HasBackingFile) return (ImageRefusal.BackingFile, $"backing file '{BackingFilename}'");
        if (DataFile is not null) return (ImageRefusal.DataFile, $"external data file '{DataFile}'");
        // qemu-img calls anything it cannot recognise raw: declared qcow2 and seen as raw means "not an image".
        if (Format == "raw" && declaredFormat != "raw")
            return (ImageRefusal.NotAnImage, $"the data is not a {declaredFormat} image: qemu-img detects format raw");
        if (Format != declaredFormat)
            return (ImageRefusal.FormatMismatch, $"declared {declaredFormat}, but qemu-img detects format {Format}");
        if (Encrypted) return (ImageRefusal.Encrypted, "the image is encrypted");
        if (Corrupt) return (ImageRefusal.Corrupt, "the qcow2 image is marked corrupt");
        if (VirtualSize <= 0) return (ImageRefusal.NotAnImage, "the image is empty");
        return null;
    }

    /// <exception cref="FormatException">The text is not qemu-img's JSON image description.</exception>
    public static QemuImageInfo Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            string? dataFile = null;
            var corrupt = false;
            if (root.TryGetProperty("format-specific", out var specific) && specific.TryGetProperty("data", out var data))
            {
                if (data.TryGetProperty("data-file", out var file)) dataFile = file.GetString();
                corrupt = data.TryGetProperty("corrupt", out var flag) && flag.ValueKind == JsonValueKind.True;
            }
            return new QemuImageInfo(
                Filename: root.GetProperty("filename").GetString() ?? "",
                Format: root.GetProperty("format").GetString() ?? throw new FormatException("qemu-img info gave no format"),
                VirtualSize: root.GetProperty("virtual-size").GetInt64(),
                ActualSize: Int64(root, "actual-size"),
                ClusterSize: Int64(root, "cluster-size"),
                BackingFilename: Text(root, "backing-filename"),
                FullBackingFilename: Text(root, "full-backing-filename"),
                BackingFormat: Text(root, "backing-filename-format"),
                DataFile: dataFile,
                Encrypted: root.TryGetProperty("encrypted", out var encrypted) && encrypted.GetBoolean(),
                DirtyFlag: root.TryGetProperty("dirty-flag", out var dirty) && dirty.GetBoolean(),
                Corrupt: corrupt);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"Unexpected qemu-img info output: {e.Message}", e);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static long? Int64(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.GetInt64() : null;
}
