using Marten;
using Npgsql;
using Nova.Projections;

namespace Nova.Commands.Tests;

/// <summary>A throwaway database on the PostgreSQL that scripts/test.sh started, with the product's store mapping.</summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private readonly string name = "c" + Guid.NewGuid().ToString("N")[..10];
    private readonly string server = Environment.GetEnvironmentVariable("NOVA_TEST_PG")
                                     ?? "Host=127.0.0.1;Port=24442;Username=postgres;Maximum Pool Size=60";

    public DocumentStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Admin($"CREATE DATABASE {name}");
        Store = DocumentStore.For(opts =>
            NovaStore.Configure(opts, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString));
        await Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        Store.Dispose();
        NpgsqlConnection.ClearAllPools();
        await Admin($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private async Task Admin(string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
