using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Nova.Api.Tests.Infrastructure;
using Nova.Compute.V1;

namespace Nova.Api.Tests.Grpc;

/// <summary>The gRPC API as a .NET client uses it: Grpc.Net.Client over h2c, the token as x-auth-token metadata.</summary>
public sealed class GrpcCaller : IDisposable
{
    private readonly GrpcChannel channel;

    public GrpcCaller(Uri address, string? token)
    {
        channel = GrpcChannel.ForAddress(address);
        // A copy: a caller may pass the same Metadata to several calls (a retry with one request id).
        var invoker = channel.Intercept(metadata =>
        {
            var headers = new Metadata();
            foreach (var entry in metadata) headers.Add(entry);
            if (token is not null) headers.Add("x-auth-token", token);
            return headers;
        });
        Servers = new Compute.V1.Servers.ServersClient(invoker);
        Flavors = new Compute.V1.Flavors.FlavorsClient(invoker);
        Events = new ServerEvents.ServerEventsClient(invoker);
        Channel = channel;
    }

    public GrpcChannel Channel { get; }
    public Compute.V1.Servers.ServersClient Servers { get; }
    public Compute.V1.Flavors.FlavorsClient Flavors { get; }
    public ServerEvents.ServerEventsClient Events { get; }

    public async Task<string> Create(string name, string flavor = "1")
    {
        var created = await Servers.CreateServerAsync(new CreateServerRequest
        {
            Name = name, FlavorRef = flavor, ImageRef = ControlPlaneStack.DefaultImage, Networks = "none",
        });
        return created.ServerIds.Single();
    }

    public Task<Server> WaitForStatus(string id, string status, int seconds = 20) =>
        Eventually.Value(async () => await Servers.GetServerAsync(new GetServerRequest { ServerId = id }),
            s => s.Status == status && s.TaskState == "", TimeSpan.FromSeconds(seconds), $"server {id} {status}");

    public static async Task<RpcException> Fails(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        return e;
    }

    public void Dispose() => channel.Dispose();
}

public static class GrpcStack
{
    public static GrpcCaller Grpc(this ControlPlaneStack stack, string? token) => new(stack.GrpcAddress, token);
}
