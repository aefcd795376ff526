using Marten;
using Nova.Commands.Hosts;
using Nova.Commands.Requests;
using Nova.Domain.Hosts;

namespace Nova.Commands.Tests.Hosts;

/// <summary>Host claims on real PostgreSQL: optimistic concurrency makes over-commit impossible.</summary>
public sealed class HostClaimRaceTests : IAsyncLifetime
{
    private readonly TestDatabase db = new();
    private const string Host = "race-host";

    public Task InitializeAsync() => db.InitializeAsync();
    public Task DisposeAsync() => db.DisposeAsync();

    [Fact]
    public async Task Fifty_concurrent_claims_on_a_four_vcpu_host_take_exactly_four_and_never_more()
    {
        await Register(new HostResources(4, 8192, 100));
        var sessions = Sessions();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => sessions.WithRetry(async session =>
        {
            var claimed = await HostClaims.TryClaim(session, Host, Guid.NewGuid(), new HostResources(1, 512, 1), default);
            await session.SaveChangesAsync();
            return claimed is not null;
        }, attempts: 200)));

        Assert.Equal(4, outcomes.Count(claimed => claimed));
        var host = await Load();
        Assert.Equal(4, host.Claims.Count);
        Assert.Equal(new HostResources(4, 2048, 4), host.Used);
        await using var query = db.Store.QuerySession();
        var claimEvents = await query.Events.QueryRawEventDataOnly<ResourcesClaimed>().CountAsync();
        Assert.Equal(4, claimEvents);
    }

    [Fact]
    public async Task Concurrent_releases_of_one_claim_release_it_exactly_once()
    {
        await Register(new HostResources(8, 8192, 100));
        var server = Guid.NewGuid();
        await using (var session = db.Store.LightweightSession())
        {
            Assert.NotNull(await HostClaims.TryClaim(session, Host, server, new HostResources(2, 1024, 10), default));
            await session.SaveChangesAsync();
        }

        var sessions = Sessions();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => sessions.WithRetry(async session =>
        {
            await HostClaims.Release(session, Host, server, buildFailed: false, default);
            await session.SaveChangesAsync();
            return true;
        }, attempts: 100)));

        Assert.Empty((await Load()).Claims);
        await using var query = db.Store.QuerySession();
        Assert.Equal(1, await query.Events.QueryRawEventDataOnly<ClaimReleased>().CountAsync());
    }

    private EventSessions Sessions() =>
        new(db.Store, new Caller { UserId = "test", ProjectId = "test", RequestId = Caller.NewRequestId() });

    private async Task Register(HostResources capacity)
    {
        await using var session = db.Store.LightweightSession();
        session.Events.StartStream<ComputeHost>(ComputeHostId.From(Host),
            ComputeHostDecider.Decide(new ComputeHostCommand.Report(Host, capacity, capacity, "fake", "1"), null).ToArray());
        await session.SaveChangesAsync();
    }

    private async Task<ComputeHost> Load()
    {
        await using var session = db.Store.QuerySession();
        return (await session.LoadAsync<ComputeHost>(ComputeHostId.From(Host)))!;
    }
}
