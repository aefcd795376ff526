using System.Net;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Identity;

/// <summary>
/// A control plane in keystone mode against the real Keystone, with two fresh projects: <c>own</c> with a member
/// and a reader, <c>other</c> with a member; and the cloud's admin. Its catalog entries live in a region named
/// after the stack, so clients find this stack's port.
/// </summary>
public sealed class KeystoneCloud : IAsyncLifetime
{
    public const string Password = "secret-Passw0rd";
    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];

    public KeystoneAdmin Keystone { get; private set; } = null!;
    public ControlPlaneStack Stack { get; private set; } = null!;
    public string Region => "test-" + suffix;
    public string OwnProject => "own-" + suffix;
    public string OtherProject => "other-" + suffix;
    public string OwnProjectId { get; private set; } = "";
    public string OtherProjectId { get; private set; } = "";
    public string Member => "member-" + suffix;
    public string Reader => "reader-" + suffix;
    public string Outsider => "outsider-" + suffix;
    public string MemberToken { get; private set; } = "";
    public string ReaderToken { get; private set; } = "";
    public string OutsiderToken { get; private set; } = "";
    public string AdminToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Keystone = await KeystoneAdmin.Connect();
        OwnProjectId = await Keystone.CreateProject(OwnProject);
        OtherProjectId = await Keystone.CreateProject(OtherProject);
        await Keystone.CreateUser(Member, Password, OwnProjectId, "member");
        await Keystone.CreateUser(Reader, Password, OwnProjectId, "reader");
        await Keystone.CreateUser(Outsider, Password, OtherProjectId, "member");
        Stack = ControlPlaneStack.With(new StackOptions(Settings: Settings(Keystone)));
        await Stack.InitializeAsync();
        await Keystone.RegisterEndpoints(Region, Stack.BaseAddress + "v2.1", Stack.BaseAddress + "image");
        MemberToken = await Keystone.Token(Member, Password, OwnProject);
        ReaderToken = await Keystone.Token(Reader, Password, OwnProject);
        OutsiderToken = await Keystone.Token(Outsider, Password, OtherProject);
        AdminToken = await Keystone.Token("admin", Keystone.AdminPassword, "admin");
    }

    /// <summary>The control plane's settings for keystone mode (as scripts/run.sh sets them).</summary>
    public static Dictionary<string, string?> Settings(KeystoneAdmin keystone, string? url = null) => new()
    {
        ["Nova:Auth:Strategy"] = "keystone",
        ["Nova:Auth:Keystone:Url"] = url ?? keystone.Url,
        ["Nova:Auth:Keystone:User"] = "nova",
        ["Nova:Auth:Keystone:Password"] = keystone.ServicePassword,
        ["Nova:Auth:Keystone:Project"] = "service",
        ["Nova:Auth:Keystone:RevocationCheckSeconds"] = "1",
    };

    private Task<RouteTargets>? targets;

    /// <summary>What the policy tests aim at, made once by the own project's member (the admin for flavors).</summary>
    public Task<RouteTargets> Targets() => targets ??= RouteTargets.Create(Stack.Client(MemberToken, "2.53"), Stack.Client(AdminToken, "2.53"));

    public Task DisposeAsync() => Stack?.DisposeAsync() ?? Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class KeystoneCollection : ICollectionFixture<KeystoneCloud>
{
    public const string Name = "keystone";
}

/// <summary>A server, a server group and a private image with data, owned by one project; and fresh ones on demand.</summary>
public sealed class RouteTargets(HttpClient member, HttpClient admin)
{
    public string Server { get; private set; } = "";
    public string CreateRequest { get; private set; } = "";
    public string Group { get; private set; } = "";
    public string Image { get; private set; } = "";
    public string KeyPair { get; private set; } = "";
    /// <summary>The Keystone id of the member who owns the key pairs.</summary>
    public string KeyPairUser { get; private set; } = "";

    public static async Task<RouteTargets> Create(HttpClient member, HttpClient admin)
    {
        var t = new RouteTargets(member, admin);
        t.Server = await t.FreshServer();
        await member.WaitForStatus(t.Server, "ACTIVE");
        var actions = (await member.Get($"/v2.1/servers/{t.Server}/os-instance-actions")).Body!["instanceActions"]!.AsArray();
        t.CreateRequest = actions[0]!["request_id"]!.GetValue<string>();
        t.Group = await t.FreshGroup();
        t.Image = await t.FreshImage();
        t.KeyPair = await t.FreshKeyPair();
        using var upload = new ByteArrayContent(new byte[4096]) { Headers = { ContentType = new("application/octet-stream") } };
        using var response = await member.PutAsync($"/image/v2/images/{t.Image}/file", upload);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return t;
    }

    public Task<string> FreshServer() => member.CreateServer("target-" + Guid.NewGuid().ToString("N")[..6]);

    public async Task<string> FreshGroup()
    {
        var (status, body) = await member.Send(HttpMethod.Post, "/v2.1/os-server-groups",
            new { server_group = new { name = "target", policies = new[] { "anti-affinity" } } });
        Assert.True(status == HttpStatusCode.OK, $"group: {status}");
        return body!["server_group"]!["id"]!.GetValue<string>();
    }

    public async Task<string> FreshKeyPair()
    {
        var name = "target-" + Guid.NewGuid().ToString("N")[..8];
        var (status, body) = await member.Send(HttpMethod.Post, "/v2.1/os-keypairs", new { keypair = new { name } });
        Assert.True(status == HttpStatusCode.Created, $"keypair: {status}");
        KeyPairUser = body!["keypair"]!["user_id"]!.GetValue<string>();
        return name;
    }

    public async Task<string> FreshImage()
    {
        var (status, body) = await member.Send(HttpMethod.Post, "/image/v2/images",
            new { name = "target", disk_format = "raw", container_format = "bare", visibility = "private" });
        Assert.True(status == HttpStatusCode.Created, $"image: {status}");
        return body!["id"]!.GetValue<string>();
    }

    public async Task<string> FreshFlavor()
    {
        var (status, body) = await admin.Send(HttpMethod.Post, "/v2.1/flavors",
            new { flavor = new { name = "target-" + Guid.NewGuid().ToString("N")[..8], ram = 64, vcpus = 1, disk = 1 } });
        Assert.True(status == HttpStatusCode.OK, $"flavor: {status}");
        return body!["flavor"]!["id"]!.GetValue<string>();
    }
}
