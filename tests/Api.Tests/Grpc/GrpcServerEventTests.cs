using System.Text.Json.Nodes;
using Grpc.Core;
using Marten;
using Nova.Api.Tests.Infrastructure;
using Nova.Compute.V1;

namespace Nova.Api.Tests.Grpc;

/// <summary>A server's history over gRPC, and Watch: live, ordered, exactly once across reconnects.</summary>
[Collection(StackCollection.Name)]
public sealed class GrpcServerEventTests(ControlPlaneStack stack)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_history_is_the_one_rest_shows()
    {
        using var grpc = stack.Grpc("hana:grpc-history");
        var id = await grpc.Create("told");
        await grpc.WaitForStatus(id, "ACTIVE");
        var stop = await grpc.Servers.StopServerAsync(new ServerActionRequest { ServerId = id });
        await grpc.WaitForStatus(id, "SHUTOFF");

        var history = (await grpc.Events.ListServerEventsAsync(new ListServerEventsRequest { ServerId = id })).Events;
        var (_, body) = await stack.Client("hana:grpc-history").Get($"/v2.1/servers/{id}/events");
        var rest = body!["events"]!.AsArray();
        Assert.Equal(rest.Count, history.Count);
        for (var i = 0; i < rest.Count; i++)
        {
            Assert.Equal(rest[i]!["sequence"]!.GetValue<long>(), history[i].Sequence);
            Assert.Equal(rest[i]!["version"]!.GetValue<long>(), history[i].Version);
            Assert.Equal(rest[i]!["type"]!.GetValue<string>(), history[i].Type);
            Assert.Equal(rest[i]!["request_id"]?.GetValue<string>() ?? "", history[i].RequestId);
            Assert.Equal(rest[i]!["user_id"]?.GetValue<string>() ?? "", history[i].UserId);
            Assert.Equal(rest[i]!["project_id"]?.GetValue<string>() ?? "", history[i].ProjectId);
            Assert.True(JsonNode.DeepEquals(rest[i]!["data"], JsonNode.Parse(history[i].DataJson)), history[i].DataJson);
            Assert.Equal(id, history[i].ServerId);
        }
        Assert.Equal("server_create_requested", history[0].Type);
        Assert.Equal("told", JsonNode.Parse(history[0].DataJson)!["Name"]!.GetValue<string>());
        Assert.Contains(history, e => e.Type == "server_stop_requested" && e.RequestId == stop.RequestId && e.UserId == "hana");

        var page = await grpc.Events.ListServerEventsAsync(new ListServerEventsRequest { ServerId = id, AfterVersion = 2, Limit = 2 });
        Assert.Equal([3L, 4L], page.Events.Select(e => e.Version));
        Assert.True(page.More);
    }

    [Fact]
    public async Task Watching_a_server_streams_its_events_live_and_resumes_from_the_last_position()
    {
        using var grpc = stack.Grpc("wes:grpc-watch-server");
        var id = await grpc.Create("watched");

        // From the beginning until the build finished, then the client goes away.
        var first = await Watch(grpc, new WatchRequest { ServerId = id }, seen => seen.Any(e => e.Type == "server_built"));
        Assert.Equal("server_create_requested", first[0].Type);
        Assert.Equal(Enumerable.Range(1, first.Count).Select(v => (long)v), first.Select(e => e.Version));

        // While nobody watches, the server is stopped; the resumed watch starts where the first stopped.
        await grpc.WaitForStatus(id, "ACTIVE");
        await grpc.Servers.StopServerAsync(new ServerActionRequest { ServerId = id });
        var resumed = grpc.Events.Watch(new WatchRequest { ServerId = id, AfterPosition = first[^1].Sequence });
        var second = await Read(resumed, seen => seen.Any(e => e.Type == "server_stop_requested"));
        // Live: an action taken while the watch is open arrives on it.
        await grpc.WaitForStatus(id, "SHUTOFF");
        await grpc.Servers.StartServerAsync(new ServerActionRequest { ServerId = id });
        second.AddRange(await Read(resumed, seen => seen.Any(e => e.Type == "server_started")));
        resumed.Dispose();

        var watched = first.Concat(second).ToList();
        var history = (await grpc.Events.ListServerEventsAsync(new ListServerEventsRequest { ServerId = id })).Events
            .Where(e => e.Sequence <= watched[^1].Sequence).ToList();
        Assert.Equal(history.Select(e => e.Sequence), watched.Select(e => e.Sequence));
        Assert.Equal(history.Select(e => e.Type), watched.Select(e => e.Type));
        Assert.Equal(history.Select(e => e.RequestId), watched.Select(e => e.RequestId));
    }

    [Fact]
    public async Task Watching_a_project_through_disconnects_under_concurrent_writes_sees_every_event_exactly_once()
    {
        const string project = "grpc-watch-project";
        using var grpc = stack.Grpc($"pat:{project}");
        using var neighbour = stack.Grpc("nick:grpc-watch-neighbour");
        var watched = new List<ServerEvent>();
        using var done = new CancellationTokenSource();
        var reconnects = 0;

        // A client that drops its connection after every few events and resumes from the last sequence it kept.
        var watcher = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                using var call = grpc.Events.Watch(new WatchRequest { ProjectId = project, AfterPosition = watched.LastOrDefault()?.Sequence ?? 0 },
                    cancellationToken: done.Token);
                try
                {
                    for (var n = 0; n < 5 && await call.ResponseStream.MoveNext(done.Token); n++)
                        lock (watched) watched.Add(call.ResponseStream.Current);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled) { }
                catch (OperationCanceledException) { }
                reconnects++;
            }
        });

        // Concurrent writers: six boots at once, then three stops and three reboots at once, and another project's noise.
        var ids = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => grpc.Create($"w{i}")).Append(neighbour.Create("noise")));
        var mine = ids[..6];
        await Task.WhenAll(mine.Select(id => grpc.WaitForStatus(id, "ACTIVE")));
        await Task.WhenAll(mine.Select((id, i) => i % 2 == 0
            ? grpc.Servers.StopServerAsync(new ServerActionRequest { ServerId = id }).ResponseAsync
            : grpc.Servers.RebootServerAsync(new RebootServerRequest { ServerId = id, Type = RebootType.Hard }).ResponseAsync));
        await Task.WhenAll(mine.Select((id, i) => grpc.WaitForStatus(id, i % 2 == 0 ? "SHUTOFF" : "ACTIVE")));

        // What the store holds for the project's servers, in sequence order.
        List<long> expected;
        await using (var session = stack.Store.QuerySession())
        {
            var streams = await Task.WhenAll(mine.Select(id => session.Events.FetchStreamAsync(Guid.Parse(id))));
            expected = streams.SelectMany(s => s).Select(e => e.Sequence).Order().ToList();
        }
        await Eventually.True(() => Task.FromResult(Snapshot(watched).LastOrDefault()?.Sequence >= expected[^1]), Patience, "the watch reached the last event");
        await done.CancelAsync();
        await watcher;

        var seen = Snapshot(watched);
        Assert.True(reconnects > 3, $"reconnected {reconnects} times");
        Assert.Equal(expected, seen.Select(e => e.Sequence).Where(s => s <= expected[^1]));
        Assert.All(seen, e => Assert.Contains(e.ServerId, mine));
        Assert.All(seen, e => Assert.NotEqual("", e.Type));
    }

    [Fact]
    public async Task An_event_that_commits_late_with_a_lower_sequence_is_streamed_in_order_not_skipped()
    {
        const string project = "grpc-watch-late";
        using var grpc = stack.Grpc($"lee:{project}");
        var late = await grpc.Create("late");
        var early = await grpc.Create("early");
        await grpc.WaitForStatus(late, "ACTIVE");
        await grpc.WaitForStatus(early, "ACTIVE");
        using var call = grpc.Events.Watch(new WatchRequest { ProjectId = project });
        await Read(call, seen => seen.Count(e => e.Type == "server_built") == 2);

        // One transaction takes its sequence number and stays open, while a later one commits.
        await using var connection = stack.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var held = stack.Store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction)))
        {
            held.Events.Append(Guid.Parse(late), new Domain.Servers.ServerLocked(Guid.Parse(late), "owner", "committed late"));
            await held.SaveChangesAsync();
        }
        await using (var session = stack.Store.LightweightSession())
        {
            session.Events.Append(Guid.Parse(early), new Domain.Servers.ServerLocked(Guid.Parse(early), "owner", "committed first"));
            await session.SaveChangesAsync();
        }
        await using (var query = stack.Store.QuerySession())
        {
            var (lateId, earlyId) = (Guid.Parse(late), Guid.Parse(early));
            var visible = await query.Events.QueryAllRawEvents()
                .Where(e => e.EventTypeName == "server_locked" && (e.StreamId == lateId || e.StreamId == earlyId)).ToListAsync();
            Assert.Equal(Guid.Parse(early), Assert.Single(visible).StreamId); // the held one is not committed yet
        }
        // Longer than the daemon's stale-gap threshold (200 ms): a feed that trusted max(seq), or gave up
        // on a gap by the clock, would have sent the later event by now and skipped the held one for good.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await transaction.CommitAsync();

        var locks = (await Read(call, seen => seen.Count(e => e.Type == "server_locked") == 2)).Where(e => e.Type == "server_locked").ToList();
        Assert.Equal([late, early], locks.Select(e => e.ServerId));
        Assert.True(locks[0].Sequence < locks[1].Sequence);
    }

    [Fact]
    public async Task A_watch_needs_a_scope_and_a_position_from_zero()
    {
        using var grpc = stack.Grpc("vic:grpc-watch-input");
        var none = await GrpcCaller.Fails(() => grpc.Events.Watch(new WatchRequest()).ResponseStream.MoveNext());
        Assert.Equal(StatusCode.InvalidArgument, none.StatusCode);
        var negative = await GrpcCaller.Fails(() => grpc.Events.Watch(new WatchRequest { ProjectId = "grpc-watch-input", AfterPosition = -5 }).ResponseStream.MoveNext());
        Assert.Equal(StatusCode.InvalidArgument, negative.StatusCode);
    }

    private static List<ServerEvent> Snapshot(List<ServerEvent> events)
    {
        lock (events) return events.ToList();
    }

    private static async Task<List<ServerEvent>> Watch(GrpcCaller grpc, WatchRequest request, Func<List<ServerEvent>, bool> until)
    {
        using var call = grpc.Events.Watch(request);
        return await Read(call, until);
    }

    private static async Task<List<ServerEvent>> Read(AsyncServerStreamingCall<ServerEvent> call, Func<List<ServerEvent>, bool> until)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var seen = new List<ServerEvent>();
        while (!until(seen))
        {
            Assert.True(await call.ResponseStream.MoveNext(timeout.Token), "the watch ended");
            seen.Add(call.ResponseStream.Current);
        }
        return seen;
    }
}
