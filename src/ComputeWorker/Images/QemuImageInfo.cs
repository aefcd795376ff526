using System.Text.Json;

namespace Nova.ComputeWorker.Images;

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
    bool DirtyFlag)
{
    public bool HasBackingFile => BackingFilename is not null;

    /// <exception cref="FormatException">The text is not qemu-img's JSON image description.</exception>
    public static QemuImageInfo Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            string? dataFile = null;
            if (root.TryGetProperty("format-specific", out var specific)
                && specific.TryGetProperty("data", out var data)
                && data.TryGetProperty("data-file", out var file))
                dataFile = file.GetString();
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
                DirtyFlag: root.TryGetProperty("dirty-flag", out var dirty) && dirty.GetBoolean());
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
