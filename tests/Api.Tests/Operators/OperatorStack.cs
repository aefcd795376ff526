using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Nova.Api.Tests.Infrastructure;
using Nova.Manage;
using Nova.Projections;
using Nova.Projections.Progress;

namespace Nova.Api.Tests.Operators;

/// <summary>
/// A control plane of its own holding a few dozen servers with histories (built, stopped, started,
/// rebooted, locked, deleted), for the operator tool's tests, which rewrite its read models.
/// </summary>
public sealed class OperatorStack : IAsyncLifetime
{
    public const string Token = "olga:ops";
    public ControlPlaneStack Stack { get; } = ControlPlaneStack.With(new StackOptions());
    public List<string> Servers { get; } = new();
    public List<string> Deleted { get; } = new();
    public string ConnectionString => Stack.Services.GetRequiredService<IConfiguration>().GetConnectionString("Nova")!;

    public async Task InitializeAsync()
    {
        await Stack.InitializeAsync();
        var client = Stack.Client(Token);
        for (var batch = 0; batch < 4; batch++)
        {
            var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.CreateServer($"ops-{batch}-{i}")));
            Servers.AddRange(ids);
        }
        foreach (var id in Servers) await client.WaitForStatus(id, "ACTIVE", 60);
        var stop = new Dictionary<string, object?> { ["os-stop"] = null };
        var start = new Dictionary<string, object?> { ["os-start"] = null };
        await Task.WhenAll(Servers.Take(12).Select(id => client.Act(id, stop)));
        foreach (var id in Servers.Take(12)) await client.WaitForStatus(id, "SHUTOFF");
        await Task.WhenAll(Servers.Take(6).Select(id => client.Act(id, start)));
        await Task.WhenAll(Servers.Skip(12).Take(6).Select(id => client.Act(id, new { reboot = new { type = "HARD" } })));
        await Task.WhenAll(Servers.Skip(18).Take(3).Select(id => client.Act(id, new Dictionary<string, object?> { ["lock"] = null })));
        foreach (var id in Servers.Take(6).Concat(Servers.Skip(12).Take(6))) await client.WaitForStatus(id, "ACTIVE");
        foreach (var id in Servers.TakeLast(3))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.Send(HttpMethod.Delete, $"/v2.1/servers/{id}")).Status);
            Deleted.Add(id);
        }
        foreach (var id in Deleted) await client.WaitUntilGone(id);
        await CaughtUp();
    }

    public Task DisposeAsync() => Stack.DisposeAsync();

    /// <summary>Waits until the daemon has applied every event to both server read models.</summary>
    public Task CaughtUp() => Eventually.True(async () =>
    {
        var positions = await ProjectionPositions.Read(Stack.Store, CancellationToken.None);
        return positions.Projections.Where(p => p.Name is "ServerView:All" or "InstanceActionLog:All").All(p => p.LagEvents == 0);
    }, TimeSpan.FromSeconds(30), "server read models caught up");

    /// <summary>
    /// Every document of a read model, by id: PostgreSQL's normalised jsonb text, and with
    /// <paramref name="revision"/> its numeric revision (ServerView's is its stream version; other
    /// documents get a random version on every write, which says nothing).
    /// </summary>
    public async Task<Dictionary<Guid, string>> Documents(string table, bool revision = false)
    {
        var docs = new Dictionary<Guid, string>();
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(revision
            ? $"select id, mt_version::text || ' ' || data::text from {NovaStore.Schema}.{table}"
            : $"select id, data::text from {NovaStore.Schema}.{table}", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) docs[r.GetGuid(0)] = r.GetString(1);
        return docs;
    }

    public async Task Sql(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Runs nova-manage in-process, as scripts/nova-manage.sh would, with its output captured.</summary>
    public async Task<(int Exit, string Out, string Error)> Manage(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await NovaManage.Run(args, new ManageContext(ConnectionString, output, error, Terminal: false), CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }
}

[CollectionDefinition(Name)]
public sealed class OperatorsCollection : ICollectionFixture<OperatorStack>
{
    public const string Name = "operators";
}
