using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Nova.Api.Health;

/// <summary>
/// PostgreSQL answers a query. A fresh, unpooled connection each time: a pooled one could be a socket the
/// server closed during an outage, and the probe must say what a new request would meet.
/// </summary>
public sealed class DatabaseHealthCheck(string connectionString) : IHealthCheck
{
    private readonly string probe = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 3, CommandTimeout = 3 }.ConnectionString;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(probe);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL does not answer: {e.Message}");
        }
    }
}
