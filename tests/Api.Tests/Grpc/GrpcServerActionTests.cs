using Grpc.Core;
using Nova.Api.Tests.Infrastructure;
using Nova.Compute.V1;

namespace Nova.Api.Tests.Grpc;

/// <summary>pause, suspend, rescue and shelve over gRPC: the same commands as REST, so the same states and the same refusals.</summary>
[Collection(StackCollection.Name)]
public sealed class GrpcServerActionTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task Pause_suspend_rescue_and_shelve_over_grpc()
    {
        using var grpc = stack.Grpc("gil:grpc-actions");
        var id = await grpc.Create("grpc-actions");
        await grpc.WaitForStatus(id, "ACTIVE");
        var server = new ServerActionRequest { ServerId = id };

        await grpc.Servers.PauseServerAsync(server);
        Assert.Equal(3, (await grpc.WaitForStatus(id, "PAUSED")).PowerState);
        var wrong = await Assert.ThrowsAsync<RpcException>(async () => await grpc.Servers.SuspendServerAsync(server));
        Assert.Equal(StatusCode.FailedPrecondition, wrong.StatusCode);
        await grpc.Servers.UnpauseServerAsync(server);
        await grpc.WaitForStatus(id, "ACTIVE");

        await grpc.Servers.SuspendServerAsync(server);
        await grpc.WaitForStatus(id, "SUSPENDED");
        await grpc.Servers.ResumeServerAsync(server);
        await grpc.WaitForStatus(id, "ACTIVE");

        var rescued = await grpc.Servers.RescueServerAsync(new RescueServerRequest { ServerId = id, AdminPass = "pw-from-grpc" });
        Assert.Equal(("pw-from-grpc", id), (rescued.AdminPass, rescued.Action.ServerId));
        await grpc.WaitForStatus(id, "RESCUE");
        await grpc.Servers.UnrescueServerAsync(server);
        await grpc.WaitForStatus(id, "ACTIVE");

        await grpc.Servers.ShelveServerAsync(server);
        await grpc.WaitForStatus(id, "SHELVED_OFFLOADED");
        var notAdmin = await Assert.ThrowsAsync<RpcException>(async () => await grpc.Servers.ShelveOffloadServerAsync(server));
        Assert.Equal(StatusCode.PermissionDenied, notAdmin.StatusCode);
        await grpc.Servers.UnshelveServerAsync(server);
        await grpc.WaitForStatus(id, "ACTIVE");
    }
}
