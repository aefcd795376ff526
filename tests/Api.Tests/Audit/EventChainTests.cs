using System.Net;
using Marten;
using Npgsql;
using Nova.Api.Tests.Infrastructure;
using Nova.Projections.Audit;

namespace Nova.Api.Tests.Audit;

/// <summary>Tamper evidence: a running SHA-256 chain per stream, and a verifier that names the first forged event.</summary>
public sealed class EventChainTests : IAsyncLifetime
{
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions());

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    [Fact]
    public async Task An_untouched_store_verifies_clean_and_a_forged_or_removed_event_is_named_exactly()
    {
        var user = stack.Client("vera:chain");
        var admin = stack.Client("admin:admin");
        var id = await user.CreateServer("chained");
        await user.WaitForStatus(id, "ACTIVE");
        // A restart migrates the schema again (twice here): the trigger must survive it, or later events go unchained.
        for (var restart = 0; restart < 2; restart++)
        {
            await using var restarted = DocumentStore.For(opts => Projections.NovaStore.Configure(opts, ConnectionString()));
            await restarted.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        }
        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, new Dictionary<string, object?> { ["os-stop"] = null }));
        await user.WaitForStatus(id, "SHUTOFF");
        Assert.Equal(HttpStatusCode.Accepted, await user.Act(id, new Dictionary<string, object?> { ["os-start"] = null }));
        await user.WaitForStatus(id, "ACTIVE");
        var serverId = Guid.Parse(id);

        // A lost race rolls its append back, its hash included: the winner's event is chained after version 1.
        var raced = Guid.NewGuid();
        await using (var first = stack.Store.LightweightSession())
        {
            first.Events.StartStream(raced, new AuditProbeRecorded(0, "start"));
            await first.SaveChangesAsync();
        }
        await using (var winner = stack.Store.LightweightSession())
        await using (var loser = stack.Store.LightweightSession())
        {
            winner.Events.Append(raced, 2, new AuditProbeRecorded(1, "winner"));
            loser.Events.Append(raced, 2, new AuditProbeRecorded(2, "loser"));
            await winner.SaveChangesAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => loser.SaveChangesAsync());
        }
        // Clean: every event of every stream (servers, hosts, quotas, the raced stream) checks out.
        var (status, clean) = await admin.Get("/v2.1/events/verify");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(clean!["verification"]!["intact"]!.GetValue<bool>(), clean.ToJsonString());
        Assert.Equal(await stack.EventCount(), clean["verification"]!["events_checked"]!.GetValue<long>());
        Assert.True((await EventChain.Verify(stack.Store, serverId)).Intact);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Get("/v2.1/events/verify")).Status);

        // Forge the stop request's data in the database, as someone with SQL access could.
        var (sequence, version, original) = await Single<(long, long, string)>(
            "SELECT seq_id, version, data::text FROM nova.mt_events WHERE stream_id = @id AND type = 'server_stop_requested'", serverId,
            r => (r.GetInt64(0), r.GetInt64(1), r.GetString(2)));
        await Execute("UPDATE nova.mt_events SET data = jsonb_set(data, '{Host}', '\"elsewhere\"') WHERE seq_id = @seq", sequence);

        var (_, forged) = await admin.Get($"/v2.1/events/verify?server_id={id}");
        var broken = forged!["verification"]!["first_break"]!;
        Assert.False(forged["verification"]!["intact"]!.GetValue<bool>());
        Assert.Equal(id, broken["stream_id"]!.GetValue<string>());
        Assert.Equal(version, broken["version"]!.GetValue<long>());
        Assert.Equal(sequence, broken["sequence"]!.GetValue<long>());
        Assert.NotEqual(broken["expected_hash"]!.GetValue<string>(), broken["stored_hash"]!.GetValue<string>());
        // The whole-store check finds the same event, through the class a command-line tool calls.
        var progress = new List<long>();
        var whole = await EventChain.Verify(stack.Store, progress: new SyncProgress(progress.Add));
        Assert.Equal((serverId, version, sequence), (whole.FirstBreak!.StreamId, whole.FirstBreak.Version, whole.FirstBreak.Sequence));
        Assert.NotEmpty(progress);

        // Put the original bytes back: the chain is intact again (the hash is over content, not a flag).
        await Execute("UPDATE nova.mt_events SET data = @data::jsonb WHERE seq_id = @seq", sequence, original);
        Assert.True((await EventChain.Verify(stack.Store, serverId)).Intact);

        // Remove the stream's last event: no later hash disagrees, but its recorded hash names it.
        var (lastSequence, lastVersion) = await Single<(long, long)>(
            "SELECT seq_id, version FROM nova.mt_events WHERE stream_id = @id ORDER BY version DESC LIMIT 1", serverId,
            r => (r.GetInt64(0), r.GetInt64(1)));
        await Execute("DELETE FROM nova.mt_events WHERE seq_id = @seq", lastSequence);
        var removed = await EventChain.Verify(stack.Store, serverId);
        Assert.Equal((lastVersion, lastSequence), (removed.FirstBreak!.Version, removed.FirstBreak.Sequence));
        Assert.Contains("missing", removed.FirstBreak.Reason);
    }

    [Fact]
    public async Task Streams_begun_before_the_chain_are_reported_then_sealed_and_a_sealed_store_still_catches_forgery()
    {
        var user = stack.Client("uma:legacy");
        // A store upgraded from before the chain: events appended while no trigger existed.
        await Execute("ALTER TABLE nova.mt_events DISABLE TRIGGER mt_events_chain");
        var legacy = await user.CreateServer("legacy");
        await user.WaitForStatus(legacy, "ACTIVE");
        await Execute("ALTER TABLE nova.mt_events ENABLE TRIGGER mt_events_chain");
        Assert.Equal(HttpStatusCode.Accepted, await user.Act(legacy, new Dictionary<string, object?> { ["os-stop"] = null }));
        await user.WaitForStatus(legacy, "SHUTOFF");
        var legacyId = Guid.Parse(legacy);

        var before = await EventChain.Verify(stack.Store, legacyId);
        Assert.Equal((1L, "no hash was recorded for this event"), (before.FirstBreak!.Version, before.FirstBreak.Reason));

        // The server's stream and the new project's usage stream began unchained.
        Assert.True(await EventChain.Seal(stack.Store) >= 1);
        var sealedOne = await EventChain.Verify(stack.Store, legacyId);
        Assert.True(sealedOne.Intact, sealedOne.ToString());
        Assert.Equal(0, await EventChain.Seal(stack.Store));
        // The host's and the project's streams were chained from their start: the events they got while the
        // trigger was off are a hole in the middle, reported, and never sealed over.
        var whole = await EventChain.Verify(stack.Store);
        Assert.Equal("no hash was recorded for this event", whole.FirstBreak!.Reason);
        Assert.NotEqual(legacyId, whole.FirstBreak.StreamId);

        // Sealing again does not launder a forgery in a chained stream.
        var (sequence, _, _) = await Single<(long, long, string)>(
            "SELECT seq_id, version, data::text FROM nova.mt_events WHERE stream_id = @id AND type = 'server_stopped'", legacyId,
            r => (r.GetInt64(0), r.GetInt64(1), r.GetString(2)));
        await Execute("UPDATE nova.mt_events SET data = jsonb_set(data, '{Host}', '\"elsewhere\"') WHERE seq_id = @seq", sequence);
        Assert.Equal(0, await EventChain.Seal(stack.Store));
        Assert.Equal(sequence, (await EventChain.Verify(stack.Store, legacyId)).FirstBreak!.Sequence);
    }

    private async Task Execute(string sql)
    {
        await using var session = stack.Store.QuerySession();
        await session.ExecuteAsync(new NpgsqlCommand(sql));
    }

    private string ConnectionString()
    {
        using var connection = stack.Store.Storage.Database.CreateConnection();
        return connection.ConnectionString;
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    private async Task<T> Single<T>(string sql, Guid stream, Func<NpgsqlDataReader, T> read)
    {
        await using var session = stack.Store.QuerySession();
        var cmd = new NpgsqlCommand(sql);
        cmd.Parameters.AddWithValue("id", stream);
        await using var reader = (NpgsqlDataReader)await session.ExecuteReaderAsync(cmd);
        Assert.True(await reader.ReadAsync());
        return read(reader);
    }

    private async Task Execute(string sql, long sequence, string? data = null)
    {
        await using var session = stack.Store.QuerySession();
        var cmd = new NpgsqlCommand(sql);
        cmd.Parameters.AddWithValue("seq", sequence);
        if (data is not null) cmd.Parameters.AddWithValue("data", data);
        Assert.Equal(1, await session.ExecuteAsync(cmd));
    }
}
