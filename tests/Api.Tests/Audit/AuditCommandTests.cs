using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Nova.Api.Tests.Infrastructure;
using Nova.Manage;

namespace Nova.Api.Tests.Audit;

/// <summary><c>nova-manage audit verify</c> and <c>audit seal</c>, run in-process as scripts/nova-manage.sh runs them.</summary>
public sealed class AuditCommandTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions());

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    private string ConnectionString => stack.Services.GetRequiredService<IConfiguration>().GetConnectionString("Nova")!;

    private async Task<(int Exit, string Out, string Error)> Manage(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await NovaManage.Run(args, new ManageContext(ConnectionString, output, error, Terminal: false), CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private async Task<long> Sql(string sql, Guid? stream = null)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        if (stream is { } id) cmd.Parameters.AddWithValue("id", id);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync() ?? 0L);
    }

    [Fact]
    public async Task Verify_reports_an_intact_store_then_names_the_forged_event_and_exits_non_zero()
    {
        var client = stack.Client("vera:audit");
        var id = await client.CreateServer("audited");
        await client.WaitForStatus(id, "ACTIVE");
        var server = Guid.Parse(id);

        var (clean, cleanOut, _) = await Manage("audit", "verify");
        Assert.Equal(NovaManage.Ok, clean);
        Assert.Contains("intact: the whole store", cleanOut);
        var (one, oneOut, _) = await Manage("audit", "verify", "--server", id);
        Assert.Equal(NovaManage.Ok, one);
        Assert.Contains($"intact: server {id}", oneOut);

        var forged = await Sql("UPDATE nova.mt_events SET data = jsonb_set(data, '{Name}', '\"forged\"') " +
                               "WHERE stream_id = @id AND version = 1 RETURNING seq_id", server);

        var (broken, brokenOut, _) = await Manage("audit", "verify");
        Assert.Equal(NovaManage.Failed, broken);
        Assert.Contains($"BROKEN: the whole store: stream {id} version 1 (sequence {forged})", brokenOut);

        var (bad, _, badError) = await Manage("audit", "verify", "--server", "not-a-uuid");
        Assert.Equal(NovaManage.BadRequest, bad);
        Assert.Contains("'not-a-uuid' is not a server id", badError);
    }

    [Fact]
    public async Task Seal_chains_only_streams_without_a_chain_and_leaves_a_broken_chain_broken()
    {
        var client = stack.Client("vera:audit");
        var first = await client.CreateServer("older");
        var second = await client.CreateServer("tampered");
        await client.WaitForStatus(first, "ACTIVE");
        await client.WaitForStatus(second, "ACTIVE");

        // As if the first server's stream had been recorded before hash chains existed.
        await Sql("DELETE FROM nova.event_chain WHERE stream_id = @id", Guid.Parse(first));
        var (unsealed, _, _) = await Manage("audit", "verify", "--server", first);
        Assert.Equal(NovaManage.Failed, unsealed);

        var (exit, output, _) = await Manage("audit", "seal");
        Assert.Equal(NovaManage.Ok, exit);
        Assert.Contains("sealed 1 streams", output);
        Assert.Equal(NovaManage.Ok, (await Manage("audit", "verify", "--server", first)).Exit);

        // A chained stream that was tampered with stays broken: seal never re-hashes it.
        await Sql("UPDATE nova.mt_events SET data = jsonb_set(data, '{Name}', '\"forged\"') WHERE stream_id = @id AND version = 1", Guid.Parse(second));
        Assert.Contains("nothing to seal", (await Manage("audit", "seal")).Out);
        Assert.Equal(NovaManage.Failed, (await Manage("audit", "verify", "--server", second)).Exit);
    }
}
