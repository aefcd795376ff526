using System.Net;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Identity;

/// <summary>
/// An operator's policy.yaml on a running control plane: an override forbids what Nova's defaults allow (Nova's 403
/// shape), another lets a member do what is admin-only by default, and an edit to the file takes effect at once.
/// </summary>
public sealed class PolicyFileTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("nova-policy-api-").FullName;
    private string PolicyPath => Path.Combine(folder, "policy.yaml");
    private ControlPlaneStack stack = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(PolicyPath, """
            # Listing servers is for admins here; members manage flavors of their own.
            "os_compute_api:servers:index": "rule:context_is_admin"
            "os_compute_api:os-flavor-manage:create": "rule:project_member_or_admin"
            """);
        stack = ControlPlaneStack.With(new StackOptions(Settings: new Dictionary<string, string?> { ["Nova:Policy:File"] = PolicyPath }));
        await stack.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await stack.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Overrides_forbid_and_allow_and_an_edit_takes_effect_without_a_restart()
    {
        var member = stack.Client("mia:policy");
        var admin = stack.Client("admin:policy");

        var (status, body) = await member.Get("/v2.1/servers");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(403, body!["forbidden"]!["code"]!.GetValue<int>());
        Assert.Equal("Policy doesn't allow os_compute_api:servers:index to be performed.", body["forbidden"]!["message"]!.GetValue<string>());
        // Rules the file does not name keep Nova's defaults.
        Assert.Equal(HttpStatusCode.OK, (await member.Get("/v2.1/servers/detail")).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.Get("/v2.1/servers")).Status);

        (status, body) = await member.Send(HttpMethod.Post, "/v2.1/flavors", Flavor("by-member"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("by-member", body!["flavor"]!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await member.Get("/v2.1/flavors/by-member")).Status);

        await File.WriteAllTextAsync(PolicyPath, "\"os_compute_api:servers:index\": \"@\"\n");

        Assert.Equal(HttpStatusCode.OK, (await member.Get("/v2.1/servers")).Status);
        (status, body) = await member.Send(HttpMethod.Post, "/v2.1/flavors", Flavor("by-member-again"));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.", body!["forbidden"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Get("/v2.1/flavors/by-member-again")).Status);
    }

    [Fact]
    public async Task A_broken_edit_keeps_the_rules_in_force()
    {
        var member = stack.Client("max:policy");
        await File.WriteAllTextAsync(PolicyPath, "\"os_compute_api:servers:index\": \"role:admin or\"\n\"os_compute_api:servers:detail\": \"!\"\n");

        Assert.Equal(HttpStatusCode.Forbidden, (await member.Get("/v2.1/servers")).Status);
        Assert.Equal(HttpStatusCode.OK, (await member.Get("/v2.1/servers/detail")).Status);
    }

    private static JsonObject Flavor(string name) => new()
    {
        ["flavor"] = new JsonObject { ["id"] = name, ["name"] = name, ["ram"] = 64, ["vcpus"] = 1, ["disk"] = 1 },
    };
}
