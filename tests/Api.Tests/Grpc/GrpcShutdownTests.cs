using Grpc.Core;
using Nova.Api.Tests.Infrastructure;
using Nova.Compute.V1;

namespace Nova.Api.Tests.Grpc;

/// <summary>A stopping control plane ends its open watches with UNAVAILABLE instead of waiting for the clients.</summary>
public sealed class GrpcShutdownTests
{
    [Fact]
    public async Task Stopping_the_control_plane_ends_open_watches_as_unavailable()
    {
        var stack = ControlPlaneStack.With(new StackOptions());
        await stack.InitializeAsync();
        var disposed = false;
        try
        {
            using var grpc = stack.Grpc("sol:grpc-shutdown");
            await grpc.Create("watched-at-shutdown");
            using var watch = grpc.Events.Watch(new WatchRequest { ProjectId = "grpc-shutdown" });
            Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal("server_create_requested", watch.ResponseStream.Current.Type);

            var stopping = stack.DisposeAsync();
            var e = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                while (await watch.ResponseStream.MoveNext(CancellationToken.None)) { }
            });
            await stopping;
            disposed = true;
            Assert.Equal(StatusCode.Unavailable, e.StatusCode);
            Assert.Contains("last sequence", e.Status.Detail);
        }
        finally
        {
            if (!disposed) await stack.DisposeAsync();
        }
    }
}
