using System.Net;
using System.Text.Json.Nodes;

namespace Nova.Api.Tests.Identity;

/// <summary>
/// The real Keystone that scripts/test.sh starts (NOVA_TEST_KEYSTONE_URL, NOVA_TEST_KEYSTONE_ADMIN_PASSWORD,
/// NOVA_TEST_KEYSTONE_SERVICE_PASSWORD), driven through its v3 REST API as the bootstrap admin: projects, users,
/// role assignments, tokens, catalog entries. Without those variables the identity tests fail, never skip.
/// </summary>
public sealed class KeystoneAdmin
{
    public string Url { get; }
    public string AdminPassword { get; }
    public string ServicePassword { get; }
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private string adminToken = "";

    private KeystoneAdmin(string url, string adminPassword, string servicePassword) =>
        (Url, AdminPassword, ServicePassword) = (url.TrimEnd('/'), adminPassword, servicePassword);

    public static async Task<KeystoneAdmin> Connect()
    {
        string Require(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v
            : throw new InvalidOperationException(
                $"{name} is not set: the identity tests need the Keystone that scripts/test.sh starts (run them through bash scripts/test.sh, " +
                "or start one with scripts/keystone.sh and export NOVA_TEST_KEYSTONE_URL, NOVA_TEST_KEYSTONE_ADMIN_PASSWORD and NOVA_TEST_KEYSTONE_SERVICE_PASSWORD)");
        var admin = new KeystoneAdmin(Require("NOVA_TEST_KEYSTONE_URL"), Require("NOVA_TEST_KEYSTONE_ADMIN_PASSWORD"), Require("NOVA_TEST_KEYSTONE_SERVICE_PASSWORD"));
        admin.adminToken = await admin.Token("admin", admin.AdminPassword, "admin");
        return admin;
    }

    /// <summary>A project-scoped token by password, as a client gets one.</summary>
    public async Task<string> Token(string user, string password, string project)
    {
        var body = new
        {
            auth = new
            {
                identity = new { methods = new[] { "password" }, password = new { user = new { name = user, domain = new { id = "default" }, password } } },
                scope = new { project = new { name = project, domain = new { id = "default" } } },
            },
        };
        using var response = await http.PostAsync($"{Url}/auth/tokens", Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"token for {user} in {project}: {(int)response.StatusCode}");
        return response.Headers.GetValues("X-Subject-Token").First();
    }

    public async Task Revoke(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"{Url}/auth/tokens");
        request.Headers.Add("X-Auth-Token", adminToken);
        request.Headers.Add("X-Subject-Token", token);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public async Task<string> CreateProject(string name) =>
        (await Call(HttpMethod.Post, "/projects", new { project = new { name, domain_id = "default" } }))!["project"]!["id"]!.GetValue<string>();

    /// <summary>A user with <paramref name="role"/> on <paramref name="projectId"/>.</summary>
    public async Task<string> CreateUser(string name, string password, string projectId, string role)
    {
        var user = (await Call(HttpMethod.Post, "/users", new { user = new { name, password, domain_id = "default" } }))!["user"]!["id"]!.GetValue<string>();
        var roleId = (await Call(HttpMethod.Get, $"/roles?name={role}"))!["roles"]![0]!["id"]!.GetValue<string>();
        await Call(HttpMethod.Put, $"/projects/{projectId}/users/{user}/roles/{roleId}");
        return user;
    }

    /// <summary>This control plane's compute and image endpoints in a region of its own (each test stack has its own port).</summary>
    public async Task RegisterEndpoints(string region, string computeUrl, string imageUrl)
    {
        await Call(HttpMethod.Post, "/regions", new { region = new { id = region } });
        // Identity too: the CLI looks projects up (flavor create --project) through the catalog of its own region.
        foreach (var (name, type, url) in new[] { ("nova", "compute", computeUrl), ("glance", "image", imageUrl), ("keystone", "identity", Url) })
        {
            var services = (await Call(HttpMethod.Get, $"/services?type={type}"))!["services"]!.AsArray();
            var serviceId = services.Count > 0 ? services[0]!["id"]!.GetValue<string>()
                : (await Call(HttpMethod.Post, "/services", new { service = new { name, type } }))!["service"]!["id"]!.GetValue<string>();
            foreach (var iface in new[] { "public", "internal", "admin" })
                await Call(HttpMethod.Post, "/endpoints", new { endpoint = new { service_id = serviceId, region_id = region, @interface = iface, url } });
        }
    }

    /// <summary>With a Content-Length: uwsgi's HTTP socket does not read chunked bodies.</summary>
    private static StringContent Json(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private async Task<JsonNode?> Call(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, Url + path);
        request.Headers.Add("X-Auth-Token", adminToken);
        if (body is not null) request.Content = Json(body);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Keystone {method} {path}: {(int)response.StatusCode} {text}");
        return text.Length > 0 ? JsonNode.Parse(text) : null;
    }
}
