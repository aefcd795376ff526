using System.Net;
using Microsoft.Extensions.Configuration;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Identity;

/// <summary>Tokens are Keystone's: validated there, cached, revoked there, and never believed when Keystone cannot answer.</summary>
[Collection(KeystoneCollection.Name)]
public sealed class KeystoneTokenTests(KeystoneCloud cloud)
{
    [Fact]
    public async Task A_keystone_token_makes_the_caller_its_user_and_project()
    {
        using var member = cloud.Stack.Client(cloud.MemberToken, "2.37");
        var id = await member.CreateServer("mine-" + Guid.NewGuid().ToString("N")[..6]);
        var server = await member.Server(id);
        Assert.Equal(cloud.OwnProjectId, server["tenant_id"]!.GetValue<string>());
        Assert.Equal(32, server["user_id"]!.GetValue<string>().Length); // Keystone's user id, not the name
    }

    [Fact]
    public async Task No_token_is_401_pointing_at_keystone()
    {
        using var anonymous = new HttpClient { BaseAddress = cloud.Stack.BaseAddress };
        using var response = await anonymous.GetAsync("/v2.1/servers");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Keystone uri=\"{cloud.Keystone.Url}\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("admin:admin")] // a noauth2 token means nothing here
    [InlineData("gAAAAABnot-a-fernet-token")]
    public async Task A_token_keystone_does_not_know_is_401(string token)
    {
        using var client = cloud.Stack.Client(token);
        var (status, body) = await client.Get("/v2.1/servers");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(401, body!["unauthorized"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_revoked_token_stops_working_after_the_revocation_check_interval()
    {
        var token = await cloud.Keystone.Token(cloud.Member, KeystoneCloud.Password, cloud.OwnProject);
        using var client = cloud.Stack.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await client.Get("/v2.1/servers")).Status); // now cached
        await cloud.Keystone.Revoke(token);
        // RevocationCheckSeconds is 1 in this stack: the cached answer is asked of Keystone again and refused.
        await Eventually.True(async () => (await client.Get("/v2.1/servers")).Status == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(30), "revoked token refused");
    }

    [Fact]
    public async Task Keystone_unreachable_is_503_never_a_pass()
    {
        var stack = ControlPlaneStack.With(new StackOptions(
            Settings: KeystoneCloud.Settings(cloud.Keystone, url: "http://127.0.0.1:9/v3")));
        await stack.InitializeAsync();
        try
        {
            using var client = stack.Client(cloud.AdminToken);
            var (status, body) = await client.Get("/v2.1/servers");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal(503, body!["serviceUnavailable"]!["code"]!.GetValue<int>());
            // Version discovery needs no token and still answers.
            Assert.Equal(HttpStatusCode.OK, (await client.Get("/")).Status);
        }
        finally { await stack.DisposeAsync(); }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("noauth2")]
    public void Keystone_settings_without_the_keystone_strategy_refuse_to_start(string? strategy)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ControlPlane.Build([], b => b.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:Nova"] = "Host=127.0.0.1;Database=unused",
                ["Nova:Auth:Strategy"] = strategy,
                ["Nova:Auth:Keystone:Url"] = cloud.Keystone.Url,
            })));
        Assert.Contains("Nova:Auth:Strategy", error.Message);
    }

    [Fact]
    public void The_keystone_strategy_without_a_service_user_refuses_to_start()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ControlPlane.Build([], b => b.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:Nova"] = "Host=127.0.0.1;Database=unused",
                ["Nova:Auth:Strategy"] = "keystone",
                ["Nova:Auth:Keystone:Url"] = cloud.Keystone.Url,
            })));
        Assert.Contains("Password", error.Message);
    }
}
