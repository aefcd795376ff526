using Microsoft.Extensions.Diagnostics.HealthChecks;
using Nova.Keystone;

namespace Nova.Api.Health;

/// <summary>Keystone's v3 root answers (only registered with the keystone strategy): without it no token can be validated.</summary>
public sealed class KeystoneHealthCheck(KeystoneSettings settings) : IHealthCheck
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            using var response = await Http.GetAsync(settings.Url, ct);
            return (int)response.StatusCode < 500
                ? HealthCheckResult.Healthy($"Keystone answers at {settings.Url}")
                : HealthCheckResult.Unhealthy($"Keystone at {settings.Url} answers {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Keystone at {settings.Url} does not answer: {e.Message}");
        }
    }
}
