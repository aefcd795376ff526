using Grpc.Reflection.V1Alpha;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Grpc;

/// <summary>Server reflection: what grpcurl and other generic clients use to discover the API.</summary>
[Collection(StackCollection.Name)]
public sealed class GrpcReflectionTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task Reflection_lists_the_services_and_describes_them()
    {
        using var grpc = stack.Grpc("admin:admin");
        var reflection = new ServerReflection.ServerReflectionClient(grpc.Channel.CreateCallInvoker());
        using var call = reflection.ServerReflectionInfo(new global::Grpc.Core.Metadata { { "x-auth-token", "admin:admin" } });

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("nova.compute.v1.Servers", services);
        Assert.Contains("nova.compute.v1.Flavors", services);
        Assert.Contains("nova.compute.v1.ServerEvents", services);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "nova.compute.v1.ServerEvents" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(bytes => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(bytes)).ToList();
        var events = files.Single(f => f.Name == "nova/compute/v1/events.proto");
        var watch = events.Service.Single().Method.Single(m => m.Name == "Watch");
        Assert.True(watch.ServerStreaming);
        await call.RequestStream.CompleteAsync();

        // grpcurl asks the v1 service first: it is there too.
        var v1 = new global::Grpc.Reflection.V1.ServerReflection.ServerReflectionClient(grpc.Channel.CreateCallInvoker());
        using var v1Call = v1.ServerReflectionInfo(new global::Grpc.Core.Metadata { { "x-auth-token", "admin:admin" } });
        await v1Call.RequestStream.WriteAsync(new global::Grpc.Reflection.V1.ServerReflectionRequest { ListServices = "" });
        Assert.True(await v1Call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains("nova.compute.v1.Servers", v1Call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
        await v1Call.RequestStream.CompleteAsync();
    }
}
