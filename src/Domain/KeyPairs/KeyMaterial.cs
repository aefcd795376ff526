using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace Nova.Domain.KeyPairs;

/// <summary>
/// What Nova checks of a key pair before storing it (nova/crypto.py): the name, and the public half, which must read
/// as an OpenSSH public key (ssh) or a PEM certificate (x509); its fingerprint is computed as Nova does.
/// </summary>
public static partial class KeyMaterial
{
    public const int MaxNameLength = 255;

    /// <summary>Nova's <c>keypair_name_special_chars</c> up to 2.91: letters, digits, '_', '-' and spaces, not at either end.</summary>
    public static string? NameProblem(string name)
    {
        if (name.Length is 0 or > MaxNameLength)
            return $"Invalid input for field/attribute name. Value: {name}. '{name}' is {(name.Length == 0 ? "too short" : "too long")}";
        if (!AllowedName().IsMatch(name))
            return $"Invalid input for field/attribute name. Value: {name}. '{name}' does not match '^[_\\\\- a-zA-Z0-9]+$'";
        if (name.Trim() != name)
            return $"Invalid input for field/attribute name. Value: {name}. '{name}' is not a 'name'";
        return null;
    }

    [GeneratedRegex(@"^[_\- a-zA-Z0-9]+$")]
    private static partial Regex AllowedName();

    /// <summary>The fingerprint of <paramref name="publicKey"/> as its type reads it; <see cref="InvalidKeyPair"/> when it cannot be read.</summary>
    public static string Fingerprint(string type, string publicKey) =>
        type == KeyPair.X509 ? X509Fingerprint(publicKey) : SshFingerprint(publicKey);

    /// <summary>MD5 of the decoded OpenSSH key blob, colon-separated hex (Nova's <c>generate_fingerprint</c>).</summary>
    public static string SshFingerprint(string publicKey)
    {
        var parts = publicKey.Trim().Split(' ', 3);
        if (parts.Length < 2) throw Unreadable();
        byte[] blob;
        try { blob = Convert.FromBase64String(parts[1]); }
        catch (FormatException) { throw Unreadable(); }
        if (!IsWellFormed(parts[0], blob)) throw Unreadable();
        return Colons(MD5.HashData(blob));
    }

    /// <summary>SHA-1 of the DER certificate, colon-separated hex (Nova's <c>generate_x509_fingerprint</c>).</summary>
    public static string X509Fingerprint(string pem)
    {
        try
        {
            var fields = PemEncoding.Find(pem);
            if (pem[fields.Label] is not "CERTIFICATE") throw new CryptographicException("not a certificate");
            var der = Convert.FromBase64String(pem[fields.Base64Data].ToString());
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return Colons(SHA1.HashData(certificate.RawData));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or FormatException)
        {
            throw new InvalidKeyPair($"failed to generate X509 fingerprint. Error message: {e.Message}");
        }
    }

    public static string Colons(byte[] hash) => string.Join(":", hash.Select(b => b.ToString("x2")));

    private static InvalidKeyPair Unreadable() => new("failed to generate fingerprint");

    /// <summary>The blob names the same type as the text and holds exactly that type's fields (as pyca/cryptography reads it).</summary>
    private static bool IsWellFormed(string type, byte[] blob)
    {
        var reader = new BlobReader(blob);
        if (reader.Text() != type) return false;
        var fine = type switch
        {
            "ssh-rsa" => reader.Integer() && reader.Integer(),
            "ssh-dss" => reader.Integer() && reader.Integer() && reader.Integer() && reader.Integer(),
            "ssh-ed25519" => reader.Field() is { Length: 32 },
            "ecdsa-sha2-nistp256" => reader.Text() == "nistp256" && reader.Field() is { Length: 65 } p256 && p256[0] == 4,
            "ecdsa-sha2-nistp384" => reader.Text() == "nistp384" && reader.Field() is { Length: 97 } p384 && p384[0] == 4,
            "ecdsa-sha2-nistp521" => reader.Text() == "nistp521" && reader.Field() is { Length: 133 } p521 && p521[0] == 4,
            _ => false,
        };
        return fine && reader.AtEnd;
    }

    /// <summary>RFC 4251 fields: uint32 length, then that many bytes.</summary>
    private sealed class BlobReader(byte[] blob)
    {
        private int at;

        public bool AtEnd => at == blob.Length;

        public byte[]? Field()
        {
            if (blob.Length - at < 4) return null;
            var length = BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(at));
            if (length > blob.Length - at - 4) return null;
            var field = blob.AsSpan(at + 4, (int)length).ToArray();
            at += 4 + (int)length;
            return field;
        }

        public string? Text() => Field() is { } f ? Encoding.ASCII.GetString(f) : null;

        /// <summary>An mpint that is positive and not empty.</summary>
        public bool Integer() => Field() is { Length: > 0 } f && (f[0] & 0x80) == 0;
    }
}
