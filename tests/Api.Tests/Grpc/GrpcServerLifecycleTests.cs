using System.Net;
using Grpc.Core;
using Nova.Api.Tests.Infrastructure;
using Nova.Compute.V1;

namespace Nova.Api.Tests.Grpc;

/// <summary>The server lifecycle over gRPC, against the running control plane, and the same server as REST sees it.</summary>
[Collection(StackCollection.Name)]
public sealed class GrpcServerLifecycleTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task Create_get_list_stop_start_reboot_and_delete_over_grpc()
    {
        using var grpc = stack.Grpc("gina:grpc-life");

        var flavors = await grpc.Flavors.ListFlavorsAsync(new ListFlavorsRequest());
        Assert.Contains(flavors.Flavors, f => f.Id == "1" && f.Name == "m1.tiny");

        var id = await grpc.Create("grpc-life");
        // Read-your-writes: the server is readable the moment CreateServer returns.
        var built = await grpc.Servers.GetServerAsync(new GetServerRequest { ServerId = id });
        Assert.Equal("grpc-life", built.Name);
        Assert.Equal("gina", built.UserId);
        Assert.Equal("grpc-life", built.ProjectId);
        Assert.Equal("", built.Host); // not an admin
        var active = await grpc.WaitForStatus(id, "ACTIVE");
        Assert.Equal("active", active.VmState);
        Assert.Equal(1, active.PowerState);
        Assert.Equal("m1.tiny", active.Flavor.Name);
        Assert.NotNull(active.LaunchedAt);

        var list = await grpc.Servers.ListServersAsync(new ListServersRequest());
        Assert.Equal(id, Assert.Single(list.Servers).Id);

        var stop = await grpc.Servers.StopServerAsync(new ServerActionRequest { ServerId = id });
        Assert.Equal(id, stop.ServerId);
        Assert.StartsWith("req-", stop.RequestId);
        // The action's write is already in the read model when the call returns.
        var stopping = await grpc.Servers.GetServerAsync(new GetServerRequest { ServerId = id });
        Assert.True(stopping.Version >= stop.Version);
        Assert.True(stopping.TaskState == "powering-off" || stopping.Status == "SHUTOFF", $"{stopping.Status}/{stopping.TaskState}");
        await grpc.WaitForStatus(id, "SHUTOFF");

        await grpc.Servers.StartServerAsync(new ServerActionRequest { ServerId = id });
        await grpc.WaitForStatus(id, "ACTIVE");
        await grpc.Servers.RebootServerAsync(new RebootServerRequest { ServerId = id, Type = RebootType.Soft });
        await grpc.WaitForStatus(id, "ACTIVE");

        // REST sees the same server, and the request id of the gRPC stop in its instance actions.
        var rest = stack.Client("gina:grpc-life");
        Assert.Equal("ACTIVE", (await rest.Server(id))["status"]!.GetValue<string>());
        var (_, actions) = await rest.Get($"/v2.1/servers/{id}/os-instance-actions");
        Assert.Contains(actions!["instanceActions"]!.AsArray(), a => a!["request_id"]!.GetValue<string>() == stop.RequestId);

        await grpc.Servers.DeleteServerAsync(new DeleteServerRequest { ServerId = id });
        await Eventually.True(async () =>
        {
            try
            {
                await grpc.Servers.GetServerAsync(new GetServerRequest { ServerId = id });
                return false;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return true;
            }
        }, TimeSpan.FromSeconds(20), "server gone");
        Assert.Empty((await grpc.Servers.ListServersAsync(new ListServersRequest())).Servers);
        Assert.Equal(HttpStatusCode.NotFound, (await rest.Get($"/v2.1/servers/{id}")).Status);
    }

    [Fact]
    public async Task A_retried_create_with_the_same_idempotency_key_creates_one_server()
    {
        using var grpc = stack.Grpc("gina:grpc-retry");
        var headers = new Metadata { { "idempotency-key", Guid.NewGuid().ToString() } };
        var request = new CreateServerRequest { Name = "once", FlavorRef = "1", ImageRef = ControlPlaneStack.DefaultImage, Networks = "none" };

        var first = await grpc.Servers.CreateServerAsync(request, headers);
        var again = await grpc.Servers.CreateServerAsync(request, headers);

        Assert.Equal(first.ServerIds, again.ServerIds);
        Assert.Single((await grpc.Servers.ListServersAsync(new ListServersRequest())).Servers);
    }

    [Fact]
    public async Task Admins_list_every_project_and_see_hosts()
    {
        using var owner = stack.Grpc("olga:grpc-admin-view");
        var id = await owner.Create("seen-by-admin");
        await owner.WaitForStatus(id, "ACTIVE");

        using var admin = stack.Grpc("admin:admin");
        var all = await admin.Servers.ListServersAsync(new ListServersRequest { AllTenants = true, ProjectId = "grpc-admin-view" });
        var seen = Assert.Single(all.Servers);
        Assert.Equal(id, seen.Id);
        Assert.Equal("fake-1", seen.Host);
    }
}
