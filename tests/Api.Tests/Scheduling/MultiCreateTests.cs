using System.Net;
using Marten;
using Nova.Api.Tests.Infrastructure;
using Nova.Domain.Servers;
using Nova.Projections.Servers;

namespace Nova.Api.Tests.Scheduling;

/// <summary>A multi-create is placed as one: fewer than min_count fitting means none is placed.</summary>
public sealed class MultiCreateTests : IAsyncLifetime
{
    // One host with room for ten m1.tiny.
    private readonly ControlPlaneStack stack = ControlPlaneStack.With(new StackOptions(Vcpus: 1, MemoryMb: 4096, DiskGb: 20));

    public Task InitializeAsync() => stack.InitializeAsync();
    public Task DisposeAsync() => stack.DisposeAsync();

    private async Task<IReadOnlyList<ServerView>> Boot(string project, int min, int max)
    {
        var client = stack.Client($"{project}:{project}");
        var (status, _) = await client.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name = project, flavorRef = "1", imageRef = ControlPlaneStack.DefaultImage, min_count = min, max_count = max },
        });
        Assert.Equal(HttpStatusCode.Accepted, status);
        return await Eventually.Value(async () =>
            {
                await using var session = stack.Store.QuerySession();
                return (IReadOnlyList<ServerView>)await session.Query<ServerView>().Where(v => v.ProjectId == project).ToListAsync();
            },
            views => views.Count == max && views.All(v => v.TaskState is null && v.Status is "ACTIVE" or "ERROR"),
            TimeSpan.FromSeconds(30), $"{project} settled");
    }

    [Fact]
    public async Task When_min_count_does_not_fit_no_server_of_the_request_is_placed()
    {
        var servers = await Boot("allornothing", min: 12, max: 12);
        Assert.All(servers, s => Assert.Equal(("ERROR", ServerFault.NoValidHost), (s.Status, s.Fault!.Message)));
        Assert.Empty((await stack.ComputeHost("fake-1")).Claims);
    }

    [Fact]
    public async Task When_min_count_fits_as_many_as_fit_are_placed_and_the_rest_fail()
    {
        var servers = await Boot("asmanyasfit", min: 5, max: 15);
        Assert.Equal(10, servers.Count(s => s.Status == "ACTIVE"));
        Assert.Equal(5, servers.Count(s => s.Status == "ERROR" && s.Fault!.Message == ServerFault.NoValidHost));
        Assert.Equal(10, (await stack.ComputeHost("fake-1")).Claims.Count);
    }
}
