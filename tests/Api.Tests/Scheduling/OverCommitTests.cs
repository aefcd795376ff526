using System.Net;
using Marten;
using Nova.Api.Tests.Infrastructure;
using Nova.Domain.Hosts;
using Nova.Domain.Servers;
using Nova.Projections.Servers;

namespace Nova.Api.Tests.Scheduling;

/// <summary>
/// Hundreds of simultaneous boots against a few small hosts: claims never exceed capacity, every
/// server ends ACTIVE or with "No valid host was found.", claims add up to the ACTIVE servers,
/// and nothing is left claimed after everything is deleted — with and without failing builds.
/// </summary>
public abstract class OverCommitScenario(StackOptions options) : IAsyncLifetime
{
    // Each host: 1 vCPU × 16, (4096 − 512) MB × 1.5 = 5376 MB, 20 GB: room for ten m1.tiny (RAM-bound).
    protected const int Hosts = 3;
    protected const int Demand = 200;
    protected readonly ControlPlaneStack Stack = ControlPlaneStack.With(options);

    public Task InitializeAsync() => Stack.InitializeAsync();
    public Task DisposeAsync() => Stack.DisposeAsync();

    protected async Task<IReadOnlyList<ServerView>> BootAllAtOnce(string project)
    {
        var client = Stack.Client($"{project}:{project}");
        using var gate = new SemaphoreSlim(64);
        var creates = Enumerable.Range(0, Demand).Select(async i =>
        {
            await gate.WaitAsync();
            try { return await client.CreateServer($"crowd-{i}"); }
            finally { gate.Release(); }
        });
        var ids = await Task.WhenAll(creates);
        Assert.Equal(Demand, ids.Distinct().Count());

        return await Eventually.Value(() => Views(project),
            views => views.Count == Demand && views.All(v => v.TaskState is null && v.Status is "ACTIVE" or "ERROR"),
            TimeSpan.FromSeconds(120), "every server ACTIVE or ERROR");
    }

    protected async Task<IReadOnlyList<ServerView>> Views(string project)
    {
        await using var session = Stack.Store.QuerySession();
        return await session.Query<ServerView>().Where(v => v.ProjectId == project && !v.Deleted).ToListAsync();
    }

    protected async Task<IReadOnlyList<ComputeHost>> HostStates()
    {
        await using var session = Stack.Store.QuerySession();
        return await session.Query<ComputeHost>().ToListAsync();
    }

    protected async Task AssertClaimsMatchActiveServers(IReadOnlyList<ServerView> servers, params string[] errorFaults)
    {
        var hosts = await HostStates();
        Assert.Equal(Hosts, hosts.Count);
        foreach (var host in hosts)
        {
            Assert.True(host.Capacity.Fits(host.Used), $"{host.Name} over-committed: {host.Used} of {host.Capacity}");
        }
        var active = servers.Where(s => s.Status == "ACTIVE").ToList();
        var claims = hosts.SelectMany(h => h.Claims.Select(c => (Host: h.Name, Server: c.Key, c.Value))).ToList();
        Assert.Equal(active.Select(s => s.Id).Order(), claims.Select(c => c.Server).Order());
        Assert.All(active, s => Assert.Equal((s.Host, s.Flavor.Resources), (claims.Single(c => c.Server == s.Id).Host, claims.Single(c => c.Server == s.Id).Value)));
        Assert.All(servers.Where(s => s.Status == "ERROR"), s => Assert.Contains(s.Fault!.Message, errorFaults));
    }

    protected async Task DeleteEverythingAndExpectNoClaims(string project, IReadOnlyList<ServerView> servers)
    {
        var client = Stack.Client($"{project}:{project}");
        using var gate = new SemaphoreSlim(64);
        var statuses = await Task.WhenAll(servers.Select(async s =>
        {
            await gate.WaitAsync();
            try { return (await client.Send(HttpMethod.Delete, $"/v2.1/servers/{s.Id}")).Status; }
            finally { gate.Release(); }
        }));
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.NoContent, status));
        await Eventually.True(async () => (await HostStates()).All(h => h.Claims.Count == 0), TimeSpan.FromSeconds(60),
            "every host back to zero claims");
        await Eventually.True(async () => (await Views(project)).Count == 0, TimeSpan.FromSeconds(30), "every server deleted");
        // Under this much contention (lost races, retried appends) every stream's hash chain is still whole.
        var chain = await Nova.Projections.Audit.EventChain.Verify(Stack.Store);
        Assert.True(chain.Intact, chain.FirstBreak?.ToString());
    }
}

public sealed class OverCommitTests() : OverCommitScenario(new StackOptions(Hosts: Hosts, Vcpus: 1, MemoryMb: 4096, DiskGb: 20))
{
    [Fact]
    public async Task Two_hundred_simultaneous_boots_on_three_small_hosts_never_over_commit_and_leak_nothing()
    {
        var servers = await BootAllAtOnce("crowd");

        var active = servers.Count(s => s.Status == "ACTIVE");
        Assert.Equal(Hosts * 10, active); // every host filled exactly to its RAM capacity, not one more
        await AssertClaimsMatchActiveServers(servers, ServerFault.NoValidHost);
        await DeleteEverythingAndExpectNoClaims("crowd", servers);
    }
}

public sealed class OverCommitWithFailingBuildsTests()
    : OverCommitScenario(new StackOptions(Hosts: Hosts, Vcpus: 1, MemoryMb: 4096, DiskGb: 20, SpawnFailureRate: 0.3))
{
    [Fact]
    public async Task Failed_builds_are_rescheduled_and_release_their_claims_exactly_once()
    {
        var servers = await BootAllAtOnce("flaky");

        Assert.InRange(servers.Count(s => s.Status == "ACTIVE"), 1, Hosts * 10);
        // An error is either no room left or three failed attempts in a row.
        string[] errors = [ServerFault.NoValidHost, .. servers.Select(s => s.Fault?.Message ?? "")
            .Where(m => m.StartsWith("Exceeded maximum number of retries", StringComparison.Ordinal)).Distinct()];
        await AssertClaimsMatchActiveServers(servers, errors);

        await using (var session = Stack.Store.QuerySession())
        {
            var reschedules = await session.Events.QueryRawEventDataOnly<ServerRescheduled>().CountAsync();
            var failedReleases = await session.Events.QueryRawEventDataOnly<ClaimReleased>().Where(r => r.BuildFailed).CountAsync();
            Assert.True(reschedules > 0, "with 30 % of spawns failing, some builds must have been rescheduled");
            Assert.True(failedReleases >= reschedules, "every failed attempt released its claim");
        }
        await DeleteEverythingAndExpectNoClaims("flaky", servers);
    }
}
