using Nova.Domain.KeyPairs;
using Nova.Domain.Tests.Support;

namespace Nova.Domain.Tests.KeyPairs;

/// <summary>Nova's key pair rules: one live name per user, the key_pairs quota, delete of what exists.</summary>
public class KeyPairDeciderTests
{
    // Nova's api sample (doc/api_samples/os-keypairs/keypairs-import-post-req.json) and the fingerprint Nova answers for it.
    public const string SampleKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDx8nkQv/zgGgB4rMYmIf+6A4l6Rr+o/6lHBQdW5aYd44bd8JttDCE/F/pNRr0lRE+PiqSPO8nDPHw0010JeMH9gYgnnFlyY3/OcJ02RhIPyyxYpv9FhY+2YiUkpwFOcLImyrxEsYXpD/0d3ac30bNH6Sw9JD9UZHYcpSxsIbECHw== Generated-by-Nova";
    public const string SampleFingerprint = "1e:2c:9b:56:79:4b:45:77:f9:ca:7a:98:2c:b0:d5:3c";

    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static DeciderSpecification<KeyPairCommand, KeyPair> Given(params object[] events) =>
        new DeciderSpecification<KeyPairCommand, KeyPair>(KeyPairDecider.Decide, KeyPair.Evolve).Given(events);

    private static KeyPairCommand.Create Create(string name = "k1", int inUse = 0, int limit = 100) =>
        new("alice", name, KeyPair.Ssh, SampleKey, SampleFingerprint, Now, inUse, limit);

    private static KeyPairCreated Created(string name = "k1") =>
        new(KeyPair.IdOf("alice", name), "alice", name, KeyPair.Ssh, SampleKey, SampleFingerprint, Now);

    [Fact]
    public void A_new_name_is_created_for_the_user() =>
        Given().When(Create()).Then(Created());

    [Fact]
    public void A_live_name_of_the_same_user_is_a_conflict()
    {
        var refused = Given(Created()).When(Create()).ThenThrows<KeyPairExists>();
        Assert.Equal("Key pair 'k1' already exists.", refused.Message);
    }

    [Fact]
    public void A_deleted_name_can_be_taken_again() =>
        Given(Created(), new KeyPairDeleted(KeyPair.IdOf("alice", "k1"))).When(Create()).Then(Created());

    [Fact]
    public void The_user_at_the_quota_gets_no_more()
    {
        var refused = Given().When(Create(inUse: 2, limit: 2)).ThenThrows<KeyPairLimitExceeded>();
        Assert.Equal("Quota exceeded, too many key pairs.", refused.Message);
    }

    [Fact]
    public void An_unlimited_quota_never_refuses() =>
        Given().When(Create(inUse: 5000, limit: -1)).Then(Created());

    [Fact]
    public void Delete_of_a_live_key_pair_marks_it_deleted() =>
        Given(Created()).When(new KeyPairCommand.Delete()).Then(new KeyPairDeleted(KeyPair.IdOf("alice", "k1")));

    [Fact]
    public void Delete_of_a_missing_or_deleted_key_pair_is_not_found()
    {
        Given().When(new KeyPairCommand.Delete()).ThenThrows<KeyPairNotFound>();
        Given(Created(), new KeyPairDeleted(KeyPair.IdOf("alice", "k1"))).When(new KeyPairCommand.Delete()).ThenThrows<KeyPairNotFound>();
    }

    [Fact]
    public void Key_pairs_are_a_users_own_names() =>
        Assert.NotEqual(KeyPair.IdOf("alice", "k1"), KeyPair.IdOf("bob", "k1"));
}

/// <summary>The key material Nova accepts, and its fingerprints.</summary>
public class KeyMaterialTests
{
    [Fact]
    public void The_ssh_fingerprint_is_novas_md5_of_the_key_blob() =>
        Assert.Equal(KeyPairDeciderTests.SampleFingerprint, KeyMaterial.SshFingerprint(KeyPairDeciderTests.SampleKey));

    [Fact]
    public void A_key_without_comment_or_with_a_trailing_newline_reads_the_same()
    {
        var bare = string.Join(' ', KeyPairDeciderTests.SampleKey.Split(' ').Take(2));
        Assert.Equal(KeyPairDeciderTests.SampleFingerprint, KeyMaterial.SshFingerprint(bare));
        Assert.Equal(KeyPairDeciderTests.SampleFingerprint, KeyMaterial.SshFingerprint(KeyPairDeciderTests.SampleKey + "\n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a key")]
    [InlineData("ssh-rsa")]
    [InlineData("ssh-rsa !!!notbase64")]
    [InlineData("ssh-dss AAAAB3NzaC1yc2EAAAADAQABAAAAgQDx8nkQv/zgGgB4rMYmIf+6A4l6Rr+o/6lHBQdW5aYd44bd8JttDCE/F/pNRr0lRE+PiqSPO8nDPHw0010JeMH9gYgnnFlyY3/OcJ02RhIPyyxYpv9FhY+2YiUkpwFOcLImyrxEsYXpD/0d3ac30bNH6Sw9JD9UZHYcpSxsIbECHw==")]
    [InlineData("ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB")]
    public void Unreadable_keys_are_invalid(string key)
    {
        var refused = Assert.Throws<InvalidKeyPair>(() => KeyMaterial.SshFingerprint(key));
        Assert.StartsWith("Keypair data is invalid", refused.Message);
    }

    [Fact]
    public void An_ed25519_key_is_read()
    {
        var blob = new List<byte>();
        void Field(byte[] f) { blob.AddRange(BitConverter.GetBytes(f.Length).Reverse()); blob.AddRange(f); }
        Field("ssh-ed25519"u8.ToArray());
        Field(new byte[32]);
        var key = "ssh-ed25519 " + Convert.ToBase64String(blob.ToArray()) + " me@host";
        Assert.Matches("^([0-9a-f]{2}:){15}[0-9a-f]{2}$", KeyMaterial.SshFingerprint(key));
    }

    [Fact]
    public void A_certificate_fingerprint_is_the_sha1_of_its_der()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=alice", rsa,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var expected = string.Join(":", System.Security.Cryptography.SHA1.HashData(cert.RawData).Select(b => b.ToString("x2")));
        Assert.Equal(expected, KeyMaterial.X509Fingerprint(cert.ExportCertificatePem()));
        Assert.Throws<InvalidKeyPair>(() => KeyMaterial.X509Fingerprint(KeyPairDeciderTests.SampleKey));
    }

    [Theory]
    [InlineData("my key_1-a", true)]
    [InlineData("bad!", false)]
    [InlineData("dotted.name", false)]
    [InlineData(" leading", false)]
    [InlineData("", false)]
    public void Names_are_novas_characters(string name, bool fine) =>
        Assert.Equal(fine, KeyMaterial.NameProblem(name) is null);

    [Fact]
    public void Names_are_at_most_255_characters()
    {
        Assert.Null(KeyMaterial.NameProblem(new string('a', 255)));
        Assert.NotNull(KeyMaterial.NameProblem(new string('a', 256)));
    }
}
