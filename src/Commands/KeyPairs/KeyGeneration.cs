using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Nova.Domain.KeyPairs;

namespace Nova.Commands.KeyPairs;

/// <summary>A key pair made by the control plane: the private half goes to the caller once and is never stored.</summary>
public sealed record GeneratedKey(string PrivateKey, string PublicKey, string Fingerprint);

/// <summary>Nova's key generation (nova/crypto.py): a 2048-bit RSA key for ssh, a self-signed client certificate for x509.</summary>
public static class KeyGeneration
{
    public const int Bits = 2048;

    public static GeneratedKey For(string type, string userId) => type == KeyPair.X509 ? X509(userId) : Ssh();

    /// <summary>PKCS#1 PEM private key, <c>ssh-rsa AAAA… Generated-by-Nova</c> public key (paramiko's output).</summary>
    public static GeneratedKey Ssh()
    {
        using var rsa = RSA.Create(Bits);
        var p = rsa.ExportParameters(false);
        var blob = new MemoryStream();
        Field(blob, Encoding.ASCII.GetBytes("ssh-rsa"));
        Field(blob, MpInt(p.Exponent!));
        Field(blob, MpInt(p.Modulus!));
        var publicKey = $"ssh-rsa {Convert.ToBase64String(blob.ToArray())} Generated-by-Nova";
        return new GeneratedKey(rsa.ExportRSAPrivateKeyPem() + "\n", publicKey, KeyMaterial.SshFingerprint(publicKey));
    }

    /// <summary>
    /// Nova's <c>generate_winrm_x509_cert</c>: CN=user, client-auth usage, the UPN user@localhost, ten years; the
    /// private key is the base64 of a PKCS#12 bundle with an empty password, the public key the certificate's PEM.
    /// </summary>
    public static GeneratedKey X509(string userId)
    {
        using var rsa = RSA.Create(Bits);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={userId}"), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUserPrincipalName($"{userId}@localhost");
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(3650));
        var pem = certificate.ExportCertificatePem() + "\n";
        var bundle = certificate.Export(X509ContentType.Pkcs12, "");
        return new GeneratedKey(Convert.ToBase64String(bundle), pem, KeyMaterial.X509Fingerprint(pem));
    }

    private static void Field(Stream to, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        to.Write(length);
        to.Write(data);
    }

    /// <summary>RFC 4251 mpint of an unsigned big-endian number: no leading zeros, one zero byte when the top bit is set.</summary>
    private static byte[] MpInt(byte[] unsignedBigEndian) =>
        new BigInteger(unsignedBigEndian, isUnsigned: true, isBigEndian: true).ToByteArray(isUnsigned: false, isBigEndian: true);
}
