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

    public Task DisposeAsync() => Stack?.DisposeAsync() ?? Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class KeystoneCollection : ICollectionFixture<KeystoneCloud>
{
    public const string Name = "keystone";
}
