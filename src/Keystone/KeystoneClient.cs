using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nova.Keystone;

/// <summary>The two Keystone v3 calls this control plane makes: password authentication and token validation.</summary>
public sealed class KeystoneClient(HttpClient http, KeystoneSettings settings)
{
    public KeystoneSettings Settings => settings;

    /// <summary>The service user's project-scoped token: <c>POST /v3/auth/tokens</c>.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> Authenticate(CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["auth"] = new JsonObject
            {
                ["identity"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["password"] = new JsonObject
                    {
                        ["user"] = new JsonObject
                        {
                            ["name"] = settings.User, ["password"] = settings.Password,
                            ["domain"] = new JsonObject { ["name"] = settings.UserDomain },
                        },
                    },
                },
                ["scope"] = new JsonObject
                {
                    ["project"] = new JsonObject { ["name"] = settings.Project, ["domain"] = new JsonObject { ["name"] = settings.ProjectDomain } },
                },
            },
        };
        using var response = await Send(() => new HttpRequestMessage(HttpMethod.Post, $"{settings.V3}/auth/tokens") { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") }, ct);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new KeystoneUnavailable($"Keystone refused the service user {settings.User}: HTTP {(int)response.StatusCode}");
        var token = response.Headers.TryGetValues("X-Subject-Token", out var values) ? values.First() : throw new KeystoneUnavailable("Keystone sent no X-Subject-Token");
        var parsed = await Parse(response, ct);
        return (token, parsed.ExpiresAt);
    }

    /// <summary>
    /// <c>GET /v3/auth/tokens</c> with <c>X-Subject-Token</c>, as the service: the identity, or null when Keystone
    /// says the token is not valid (expired, revoked, unknown) or not scoped to a project.
    /// </summary>
    public async Task<TokenIdentity?> Validate(string serviceToken, string subjectToken, CancellationToken ct)
    {
        using var response = await Send(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{settings.V3}/auth/tokens");
            request.Headers.Add("X-Auth-Token", serviceToken);
            request.Headers.Add("X-Subject-Token", subjectToken);
            return request;
        }, ct);
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK: break;
            case HttpStatusCode.NotFound: return null;
            case HttpStatusCode.Unauthorized: throw new ServiceTokenRejected();
            default: throw new KeystoneUnavailable($"Keystone answered HTTP {(int)response.StatusCode} to a token validation");
        }
        // A 200 whose body is not the token Keystone documents (a proxy's page, a field missing or of another type)
        // identifies nobody: the token is refused (401), never an error of ours.
        try { return await Parse(response, ct); }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private async Task<HttpResponseMessage> Send(Func<HttpRequestMessage> request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try { response = await http.SendAsync(request(), ct); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new KeystoneUnavailable($"Keystone at {settings.V3} is unreachable: {e.Message}", e);
        }
        if ((int)response.StatusCode >= 500)
        {
            response.Dispose();
            throw new KeystoneUnavailable($"Keystone at {settings.V3} answered HTTP {(int)response.StatusCode}");
        }
        return response;
    }

    private static async Task<TokenIdentity> Parse(HttpResponseMessage response, CancellationToken ct)
    {
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        var token = json.RootElement.GetProperty("token");
        var user = token.GetProperty("user");
        var expires = DateTimeOffset.Parse(token.GetProperty("expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var roles = token.TryGetProperty("roles", out var r) ? r.EnumerateArray().Select(x => x.GetProperty("name").GetString() ?? "").ToList() : [];
        string projectId = "", projectName = "", projectDomain = "";
        if (token.TryGetProperty("project", out var project))
        {
            projectId = project.GetProperty("id").GetString() ?? "";
            projectName = project.GetProperty("name").GetString() ?? "";
            projectDomain = project.GetProperty("domain").GetProperty("id").GetString() ?? "";
        }
        var userId = user.GetProperty("id").GetString();
        if (string.IsNullOrEmpty(userId)) throw new FormatException("a token without a user id");
        return new TokenIdentity(userId, user.GetProperty("name").GetString() ?? "",
            user.GetProperty("domain").GetProperty("id").GetString() ?? "", projectId, projectName, projectDomain, roles, expires);
    }
}

/// <summary>Keystone no longer accepts our own service token (expired early, password changed): get a new one.</summary>
public sealed class ServiceTokenRejected() : Exception("Keystone rejected the service token");
