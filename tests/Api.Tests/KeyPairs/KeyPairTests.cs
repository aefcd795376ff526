using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Marten;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.KeyPairs;

/// <summary>/os-keypairs as Nova answers it: generated and imported keys, a user's own names, 2.2/2.10/2.35, the quota, key_name on a server.</summary>
public sealed class KeyPairTests : IAsyncLifetime
{
    // Nova's api sample key and the fingerprint Nova gives it.
    private const string SampleKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDx8nkQv/zgGgB4rMYmIf+6A4l6Rr+o/6lHBQdW5aYd44bd8JttDCE/F/pNRr0lRE+PiqSPO8nDPHw0010JeMH9gYgnnFlyY3/OcJ02RhIPyyxYpv9FhY+2YiUkpwFOcLImyrxEsYXpD/0d3ac30bNH6Sw9JD9UZHYcpSxsIbECHw== Generated-by-Nova";
    private const string SampleFingerprint = "1e:2c:9b:56:79:4b:45:77:f9:ca:7a:98:2c:b0:d5:3c";

    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions());

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    private static Task<(HttpStatusCode Status, JsonNode? Body)> Create(HttpClient client, object keypair) =>
        client.Send(HttpMethod.Post, "/v2.1/os-keypairs", new { keypair });

    [Fact]
    public async Task A_generated_key_pair_comes_back_once_with_its_private_key_and_matches_its_public_key()
    {
        using var alice = stack.Client("alice:proj", "2.2");
        var (status, body) = await Create(alice, new { name = "gen" });
        Assert.Equal(HttpStatusCode.Created, status);
        var created = body!["keypair"]!;
        Assert.Equal("ssh", created["type"]!.GetValue<string>());
        Assert.Equal("alice", created["user_id"]!.GetValue<string>());
        var publicKey = created["public_key"]!.GetValue<string>();
        Assert.StartsWith("ssh-rsa AAAA", publicKey);
        var privateKey = created["private_key"]!.GetValue<string>();
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", privateKey);

        // OpenSSH itself reads the private key, derives the same public key and the same MD5 fingerprint.
        var file = Path.Combine(Path.GetTempPath(), "nova-key-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(file, privateKey);
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite); // ssh-keygen refuses a readable key
        try
        {
            var derived = (await Run("ssh-keygen", "-y", "-f", file)).Trim();
            Assert.Equal(string.Join(' ', publicKey.Split(' ').Take(2)), string.Join(' ', derived.Split(' ').Take(2)));
            await File.WriteAllTextAsync(file + ".pub", publicKey + "\n");
            var listed = await Run("ssh-keygen", "-l", "-E", "md5", "-f", file + ".pub");
            Assert.Contains("MD5:" + created["fingerprint"]!.GetValue<string>(), listed);
        }
        finally
        {
            File.Delete(file);
            File.Delete(file + ".pub");
        }

        // Shown without the private key, never stored.
        var (_, shown) = await alice.Get("/v2.1/os-keypairs/gen");
        Assert.Null(shown!["keypair"]!["private_key"]);
        Assert.Equal(publicKey, shown["keypair"]!["public_key"]!.GetValue<string>());
        Assert.False(shown["keypair"]!["deleted"]!.GetValue<bool>());
        Assert.True(shown["keypair"]!["id"]!.GetValue<long>() > 0);
        // Nothing in the store holds the private half: not the events, not the key pair document.
        Assert.DoesNotContain(await StoredText("SELECT string_agg(data::text, '') FROM nova.mt_events"), privateKey.Split('\n')[1]);
        Assert.DoesNotContain("PRIVATE", await StoredText("SELECT string_agg(data::text, '') FROM nova.mt_events"));
        Assert.DoesNotContain("PRIVATE", await StoredText("SELECT string_agg(data::text, '') FROM nova.mt_doc_keypair"));
    }

    [Fact]
    public async Task An_imported_key_gets_novas_fingerprint_and_is_listed_shown_and_deleted()
    {
        using var alice = stack.Client("alice:proj");
        var (status, body) = await Create(alice, new { name = "imported", public_key = SampleKey });
        Assert.Equal(HttpStatusCode.OK, status); // 200 before 2.2
        Assert.Equal(SampleFingerprint, body!["keypair"]!["fingerprint"]!.GetValue<string>());
        Assert.Null(body["keypair"]!["private_key"]);
        Assert.Null(body["keypair"]!["type"]);

        var (_, list) = await alice.Get("/v2.1/os-keypairs");
        var only = Assert.Single(list!["keypairs"]!.AsArray())!["keypair"]!;
        Assert.Equal("imported", only["name"]!.GetValue<string>());
        Assert.Equal(SampleKey, only["public_key"]!.GetValue<string>());
        Assert.Null(only["type"]);

        var (_, shown) = await alice.Get("/v2.1/os-keypairs/imported");
        Assert.Equal("alice", shown!["keypair"]!["user_id"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Accepted, (await alice.Send(HttpMethod.Delete, "/v2.1/os-keypairs/imported")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Get("/v2.1/os-keypairs/imported")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Send(HttpMethod.Delete, "/v2.1/os-keypairs/imported")).Status);
        Assert.Empty((await alice.Get("/v2.1/os-keypairs")).Body!["keypairs"]!.AsArray());
        // The name is free again.
        Assert.Equal(HttpStatusCode.OK, (await Create(alice, new { name = "imported", public_key = SampleKey })).Status);
    }

    [Fact]
    public async Task Bad_names_bad_keys_and_duplicates_are_refused_as_nova_does()
    {
        using var alice = stack.Client("alice:bad", "2.2");
        Assert.Equal(HttpStatusCode.Created, (await Create(alice, new { name = "dup", public_key = SampleKey })).Status);
        var (dupStatus, dup) = await Create(alice, new { name = "dup", public_key = SampleKey });
        Assert.Equal(HttpStatusCode.Conflict, dupStatus);
        Assert.Equal("Key pair 'dup' already exists.", dup!["conflictingRequest"]!["message"]!.GetValue<string>());

        var (badStatus, bad) = await Create(alice, new { name = "bad", public_key = "ssh-rsa not-a-key" });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.StartsWith("Keypair data is invalid", bad!["badRequest"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await Create(alice, new { name = "cert", type = "x509", public_key = SampleKey })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Create(alice, new { name = "t", type = "pgp" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Create(alice, new { name = "bad!name" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Create(alice, new { name = new string('a', 256) })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Create(alice, new { public_key = SampleKey })).Status);
        // user_id is a 2.10 field.
        Assert.Equal(HttpStatusCode.BadRequest, (await Create(alice, new { name = "u", user_id = "bob" })).Status);
        Assert.Single((await alice.Get("/v2.1/os-keypairs")).Body!["keypairs"]!.AsArray());
    }

    [Fact]
    public async Task A_generated_x509_certificate_has_the_sha1_fingerprint_of_its_der()
    {
        using var alice = stack.Client("alice:x509", "2.2");
        var (status, body) = await Create(alice, new { name = "cert", type = "x509" });
        Assert.Equal(HttpStatusCode.Created, status);
        var pem = body!["keypair"]!["public_key"]!.GetValue<string>();
        using var cert = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
        Assert.Equal("CN=alice", cert.Subject);
        Assert.Equal(string.Join(":", SHA1.HashData(cert.RawData).Select(b => b.ToString("x2"))), body["keypair"]!["fingerprint"]!.GetValue<string>());
        Assert.Equal("x509", (await alice.Get("/v2.1/os-keypairs/cert")).Body!["keypair"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Key_pairs_belong_to_a_user_and_only_an_admin_acts_for_another_at_2_10()
    {
        using var alice = stack.Client("alice:shared", "2.10");
        using var bob = stack.Client("bob:shared", "2.10");
        using var admin = stack.Client("admin:admins", "2.10");
        Assert.Equal(HttpStatusCode.Created, (await Create(alice, new { name = "mine", public_key = SampleKey })).Status);

        // Same project, another user: not found, and bob's own list is empty.
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Get("/v2.1/os-keypairs/mine")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Send(HttpMethod.Delete, "/v2.1/os-keypairs/mine")).Status);
        Assert.Empty((await bob.Get("/v2.1/os-keypairs")).Body!["keypairs"]!.AsArray());
        // Naming alice is for admins only.
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.Get("/v2.1/os-keypairs/mine?user_id=alice")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.Get("/v2.1/os-keypairs?user_id=alice")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Create(bob, new { name = "planted", public_key = SampleKey, user_id = "alice" })).Status);

        // The admin creates one for bob, sees alice's, and deletes it.
        var (status, made) = await Create(admin, new { name = "for-bob", type = "ssh", user_id = "bob" });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("bob", made!["keypair"]!["user_id"]!.GetValue<string>());
        Assert.Equal("for-bob", Assert.Single((await bob.Get("/v2.1/os-keypairs")).Body!["keypairs"]!.AsArray())!["keypair"]!["name"]!.GetValue<string>());
        Assert.Equal("alice", (await admin.Get("/v2.1/os-keypairs/mine?user_id=alice")).Body!["keypair"]!["user_id"]!.GetValue<string>());
        Assert.Single((await admin.Get("/v2.1/os-keypairs?user_id=alice")).Body!["keypairs"]!.AsArray());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Send(HttpMethod.Delete, "/v2.1/os-keypairs/mine?user_id=alice")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Get("/v2.1/os-keypairs/mine")).Status);
        // Before 2.10 the query parameter means nothing: the admin's own key pairs.
        using var oldAdmin = stack.Client("admin:admins", "2.9");
        Assert.Equal(HttpStatusCode.NotFound, (await oldAdmin.Get("/v2.1/os-keypairs/for-bob?user_id=bob")).Status);
    }

    [Fact]
    public async Task From_2_35_the_list_pages_by_name_with_a_next_link()
    {
        using var carol = stack.Client("carol:pages", "2.35");
        foreach (var name in new[] { "c", "a", "b" })
            Assert.Equal(HttpStatusCode.Created, (await Create(carol, new { name, public_key = SampleKey })).Status);

        var (_, first) = await carol.Get("/v2.1/os-keypairs?limit=2");
        Assert.Equal(["a", "b"], first!["keypairs"]!.AsArray().Select(k => k!["keypair"]!["name"]!.GetValue<string>()).ToList());
        var next = first["keypairs_links"]![0]!;
        Assert.Equal("next", next["rel"]!.GetValue<string>());
        Assert.Contains("marker=b", next["href"]!.GetValue<string>());
        Assert.Contains("limit=2", next["href"]!.GetValue<string>());

        var (_, second) = await carol.Get("/v2.1/os-keypairs?limit=2&marker=b");
        Assert.Equal("c", Assert.Single(second!["keypairs"]!.AsArray())!["keypair"]!["name"]!.GetValue<string>());
        Assert.Null(second["keypairs_links"]);

        Assert.Equal(HttpStatusCode.BadRequest, (await carol.Get("/v2.1/os-keypairs?marker=nope")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await carol.Get("/v2.1/os-keypairs?limit=x")).Status);
        // Before 2.35 limit is not read: the whole list, no links.
        using var older = stack.Client("carol:pages", "2.34");
        var (_, all) = await older.Get("/v2.1/os-keypairs?limit=1");
        Assert.Equal(3, all!["keypairs"]!.AsArray().Count);
        Assert.Null(all["keypairs_links"]);
    }

    [Fact]
    public async Task The_key_pairs_quota_stops_the_user_at_the_limit()
    {
        using var admin = stack.Client("admin:admins");
        Assert.Equal(HttpStatusCode.OK, (await admin.Send(HttpMethod.Put, "/v2.1/os-quota-sets/quota-proj", new { quota_set = new { key_pairs = 2 } })).Status);
        using var dave = stack.Client("dave:quota-proj", "2.2");
        Assert.Equal(HttpStatusCode.Created, (await Create(dave, new { name = "one", public_key = SampleKey })).Status);
        Assert.Equal(HttpStatusCode.Created, (await Create(dave, new { name = "two" })).Status);
        var (status, body) = await Create(dave, new { name = "three", public_key = SampleKey });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Quota exceeded, too many key pairs.", body!["forbidden"]!["message"]!.GetValue<string>());
        // A delete frees a place.
        Assert.Equal(HttpStatusCode.NoContent, (await dave.Send(HttpMethod.Delete, "/v2.1/os-keypairs/one")).Status);
        Assert.Equal(HttpStatusCode.Created, (await Create(dave, new { name = "three", public_key = SampleKey })).Status);
    }

    [Fact]
    public async Task A_server_boots_with_the_users_key_name_and_shows_it_an_unknown_one_is_400()
    {
        using var erin = stack.Client("erin:servers", "2.2");
        Assert.Equal(HttpStatusCode.Created, (await Create(erin, new { name = "boot-key", public_key = SampleKey })).Status);

        var (status, created) = await erin.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name = "with-key", flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, networks = "none", key_name = "boot-key" },
        });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = created!["server"]!["id"]!.GetValue<string>();
        Assert.Equal("boot-key", (await erin.Server(id))["key_name"]!.GetValue<string>());
        var listed = (await erin.Get("/v2.1/servers/detail")).Body!["servers"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("boot-key", listed["key_name"]!.GetValue<string>());

        var (unknown, refused) = await erin.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name = "no-key", flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, networks = "none", key_name = "nokey" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.Equal("Invalid key_name provided.", refused!["badRequest"]!["message"]!.GetValue<string>());
        // Another user's key is unknown to this one, even in the same project.
        using var frank = stack.Client("frank:servers", "2.2");
        var (other, _) = await frank.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name = "not-mine", flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, networks = "none", key_name = "boot-key" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, other);
        Assert.DoesNotContain((await erin.Get("/v2.1/servers")).Body!["servers"]!.AsArray(), s => s!["name"]!.GetValue<string>() is "no-key" or "not-mine");

        // A server without a key shows null.
        var plain = await erin.CreateServer("plain");
        Assert.Null((await erin.Server(plain))["key_name"]);
    }

    private async Task<string> StoredText(string sql)
    {
        await using var session = stack.Store.QuerySession();
        await using var reader = await session.ExecuteReaderAsync(new Npgsql.NpgsqlCommand(sql));
        Assert.True(await reader.ReadAsync());
        return reader.IsDBNull(0) ? "" : reader.GetString(0);
    }

    private static async Task<string> Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {error}");
        return output;
    }
}
