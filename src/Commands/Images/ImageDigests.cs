using System.Security.Cryptography;

namespace Nova.Commands.Images;

/// <summary>The digests Glance records while the data streams by: md5 (legacy <c>checksum</c>) and sha256 (<c>os_hash_value</c>).</summary>
public sealed class ImageDigests : IDisposable
{
    private readonly IncrementalHash md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly IncrementalHash sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void Append(ReadOnlySpan<byte> data)
    {
        md5.AppendData(data);
        sha256.AppendData(data);
    }

    public (string Md5, string Sha256) Finish() =>
        (Convert.ToHexStringLower(md5.GetHashAndReset()), Convert.ToHexStringLower(sha256.GetHashAndReset()));

    public void Dispose()
    {
        md5.Dispose();
        sha256.Dispose();
    }

    public static bool IsHex(string text, int length) => text.Length == length && text.All(Uri.IsHexDigit);

    /// <summary>An md5 as clients send it: hex (Glance's <c>x-image-meta-checksum</c>) or base64 (RFC 1864 <c>Content-MD5</c>).</summary>
    public static string? Md5Hex(string declared)
    {
        declared = declared.Trim();
        if (IsHex(declared, 32)) return declared.ToLowerInvariant();
        var bytes = new byte[16];
        return Convert.TryFromBase64String(declared, bytes, out var written) && written == 16 ? Convert.ToHexStringLower(bytes) : null;
    }
}
