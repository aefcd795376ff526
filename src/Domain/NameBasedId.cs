using System.Security.Cryptography;
using System.Text;

namespace Nova.Domain;

/// <summary>
/// A name-based UUID (RFC 4122 version 5, URL namespace): the same name gives the same id on
/// every node, which makes "register a host" and "retry a create" idempotent by construction.
/// </summary>
public static class NameBasedId
{
    private static readonly Guid Namespace = Guid.Parse("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    public static Guid From(string name)
    {
        var bytes = Namespace.ToByteArray(bigEndian: true).Concat(Encoding.UTF8.GetBytes(name)).ToArray();
        var hash = SHA1.HashData(bytes).AsSpan(0, 16).ToArray();
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true);
    }
}
