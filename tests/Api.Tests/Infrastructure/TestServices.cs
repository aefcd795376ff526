using DotNet.Testcontainers.Builders;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Nova.Api.Tests.Infrastructure;

/// <summary>
/// Where the real PostgreSQL and RabbitMQ for the tests are: the ones scripts/test.sh started
/// (NOVA_TEST_PG, NOVA_TEST_RABBITMQ_PORT), else containers when a Docker engine exists, else
/// the test script's default local ports.
/// </summary>
public static class TestServices
{
    private static readonly Lazy<Task<(string Postgres, string RabbitHost, int RabbitPort)>> Endpoints = new(Locate);

    public static Task<(string Postgres, string RabbitHost, int RabbitPort)> Get() => Endpoints.Value;

    private static async Task<(string, string, int)> Locate()
    {
        var pg = Environment.GetEnvironmentVariable("NOVA_TEST_PG");
        var rabbitPort = Environment.GetEnvironmentVariable("NOVA_TEST_RABBITMQ_PORT");
        if (pg is not null && rabbitPort is not null) return (pg, "127.0.0.1", int.Parse(rabbitPort));
        try
        {
            var postgres = new PostgreSqlBuilder("postgres:15").Build();
            var rabbit = new RabbitMqBuilder("rabbitmq:3.10").WithUsername("guest").WithPassword("guest").Build();
            await Task.WhenAll(postgres.StartAsync(), rabbit.StartAsync());
            var cs = new Npgsql.NpgsqlConnectionStringBuilder(postgres.GetConnectionString()) { Database = null };
            return (cs.ConnectionString, rabbit.Hostname, rabbit.GetMappedPublicPort(5672));
        }
        catch (DockerUnavailableException)
        {
            return ("Host=127.0.0.1;Port=24442;Username=postgres;Maximum Pool Size=60", "127.0.0.1", 24730);
        }
    }
}
