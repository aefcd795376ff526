using System.Net;
using Grpc.Core;
using Nova.Api.Tests.Infrastructure;
using Nova.Compute.V1;

namespace Nova.Api.Tests.Grpc;

/// <summary>The REST rules, answered as gRPC statuses with Nova's message as the detail.</summary>
[Collection(StackCollection.Name)]
public sealed class GrpcErrorTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task Unknown_or_malformed_ids_are_not_found()
    {
        using var grpc = stack.Grpc("ed:grpc-errors");
        var unknown = Guid.NewGuid().ToString();
        var e = await GrpcCaller.Fails(() => grpc.Servers.GetServerAsync(new GetServerRequest { ServerId = unknown }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Equal($"Instance {unknown} could not be found.", e.Status.Detail);
        Assert.Equal(StatusCode.NotFound, (await GrpcCaller.Fails(() => grpc.Servers.StopServerAsync(new ServerActionRequest { ServerId = "not-a-uuid" }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await GrpcCaller.Fails(() => grpc.Servers.DeleteServerAsync(new DeleteServerRequest { ServerId = unknown }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await GrpcCaller.Fails(() => grpc.Events.ListServerEventsAsync(new ListServerEventsRequest { ServerId = unknown }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await GrpcCaller.Fails(() => grpc.Flavors.GetFlavorAsync(new GetFlavorRequest { FlavorId = "no-such-flavor" }).ResponseAsync)).StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_invalid_argument_and_creates_nothing()
    {
        using var grpc = stack.Grpc("ed:grpc-bad-input");
        var valid = new CreateServerRequest { Name = "x", FlavorRef = "1", ImageRef = ControlPlaneStack.DefaultImage, Networks = "none" };
        var bad = new (string What, CreateServerRequest Request, string Detail)[]
        {
            ("empty name", With(valid, r => r.Name = ""), "name"),
            ("unknown flavor", With(valid, r => r.FlavorRef = "no-such-flavor"), "Flavor no-such-flavor could not be found."),
            ("unknown image", With(valid, r => r.ImageRef = Guid.NewGuid().ToString()), "could not be found"),
            ("specific networks", With(valid, r => r.Networks = "net-1"), "not supported"),
            ("min above max", With(valid, r => { r.MinCount = 3; r.MaxCount = 2; }), "min_count"),
            ("group not a uuid", With(valid, r => r.GroupId = "nope"), "is not a 'uuid'"),
            ("unknown zone", With(valid, r => r.AvailabilityZone = "nowhere"), "availability zone"),
        };
        foreach (var (what, request, detail) in bad)
        {
            var e = await GrpcCaller.Fails(() => grpc.Servers.CreateServerAsync(request).ResponseAsync);
            Assert.True(e.StatusCode == StatusCode.InvalidArgument, $"{what}: {e.Status}");
            Assert.Contains(detail, e.Status.Detail);
        }
        Assert.Empty((await grpc.Servers.ListServersAsync(new ListServersRequest())).Servers);

        var id = await grpc.Create("rebooted-wrong");
        var reboot = await GrpcCaller.Fails(() => grpc.Servers.RebootServerAsync(new RebootServerRequest { ServerId = id }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, reboot.StatusCode);
        var history = await GrpcCaller.Fails(() => grpc.Events.ListServerEventsAsync(new ListServerEventsRequest { ServerId = id, AfterVersion = -1 }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, history.StatusCode);
        var marker = await GrpcCaller.Fails(() => grpc.Servers.ListServersAsync(new ListServersRequest { Marker = Guid.NewGuid().ToString() }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, marker.StatusCode);
    }

    [Fact]
    public async Task A_command_the_state_does_not_allow_is_failed_precondition()
    {
        using var grpc = stack.Grpc("ed:grpc-conflict");
        var id = await grpc.Create("already-on");
        await grpc.WaitForStatus(id, "ACTIVE");

        var e = await GrpcCaller.Fails(() => grpc.Servers.StartServerAsync(new ServerActionRequest { ServerId = id }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Equal($"Cannot 'start' instance {id} while it is in vm_state active", e.Status.Detail);

        await grpc.Servers.LockServerAsync(new LockServerRequest { ServerId = id, LockedReason = "maintenance" });
        Assert.Equal("maintenance", (await grpc.Servers.GetServerAsync(new GetServerRequest { ServerId = id })).LockedReason);
        // A locked server refuses its owner's actions too (admins only), as in Nova.
        var locked = await GrpcCaller.Fails(() => grpc.Servers.StopServerAsync(new ServerActionRequest { ServerId = id }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, locked.StatusCode);
        Assert.Equal($"Instance {id} is locked", locked.Status.Detail);
        await grpc.Servers.UnlockServerAsync(new ServerActionRequest { ServerId = id });
        await grpc.Servers.StopServerAsync(new ServerActionRequest { ServerId = id });
    }

    [Fact]
    public async Task An_exceeded_quota_is_resource_exhausted()
    {
        var (status, _) = await stack.Client("admin:admin").Send(HttpMethod.Put, "/v2.1/os-quota-sets/grpc-quota",
            new { quota_set = new { instances = 1 } });
        Assert.Equal(HttpStatusCode.OK, status);
        using var grpc = stack.Grpc("quinn:grpc-quota");
        await grpc.Create("the-only-one");

        var e = await GrpcCaller.Fails(() => grpc.Create("one-too-many"));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Contains("Quota exceeded", e.Status.Detail);
        Assert.Single((await grpc.Servers.ListServersAsync(new ListServersRequest())).Servers);
    }

    [Fact]
    public async Task No_token_is_unauthenticated()
    {
        using var anonymous = stack.Grpc(null);
        var e = await GrpcCaller.Fails(() => anonymous.Servers.ListServersAsync(new ListServersRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("The request you have made requires authentication.", e.Status.Detail);
        var watch = anonymous.Events.Watch(new WatchRequest { ProjectId = "any" });
        var streamed = await GrpcCaller.Fails(() => watch.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Unauthenticated, streamed.StatusCode);
    }

    [Fact]
    public async Task Another_projects_server_does_not_exist_and_admin_only_calls_are_permission_denied()
    {
        using var owner = stack.Grpc("ann:grpc-mine");
        var id = await owner.Create("private");
        using var other = stack.Grpc("bob:grpc-theirs");

        foreach (var call in new Func<Task>[]
                 {
                     () => other.Servers.GetServerAsync(new GetServerRequest { ServerId = id }).ResponseAsync,
                     () => other.Servers.StopServerAsync(new ServerActionRequest { ServerId = id }).ResponseAsync,
                     () => other.Servers.DeleteServerAsync(new DeleteServerRequest { ServerId = id }).ResponseAsync,
                     () => other.Events.ListServerEventsAsync(new ListServerEventsRequest { ServerId = id }).ResponseAsync,
                     () => other.Events.Watch(new WatchRequest { ServerId = id }).ResponseStream.MoveNext(),
                 })
            Assert.Equal(StatusCode.NotFound, (await GrpcCaller.Fails(call)).StatusCode);
        Assert.Empty((await other.Servers.ListServersAsync(new ListServersRequest())).Servers);

        var allTenants = await GrpcCaller.Fails(() => other.Servers.ListServersAsync(new ListServersRequest { AllTenants = true }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, allTenants.StatusCode);
        Assert.Contains("get_all_tenants", allTenants.Status.Detail);
        var watchOther = await GrpcCaller.Fails(() => other.Events.Watch(new WatchRequest { ProjectId = "grpc-mine" }).ResponseStream.MoveNext());
        Assert.Equal(StatusCode.PermissionDenied, watchOther.StatusCode);
        // The same rule, moved into the shared query, still answers REST with Nova's 403.
        Assert.Equal(HttpStatusCode.Forbidden, (await stack.Client("bob:grpc-theirs").Get("/v2.1/servers?all_tenants=1")).Status);

        // The owner's server is untouched.
        Assert.Equal(id, (await owner.Servers.GetServerAsync(new GetServerRequest { ServerId = id })).Id);
    }

    [Fact]
    public async Task Rest_and_grpc_do_not_answer_on_each_others_port()
    {
        // REST over HTTP/2 (prior knowledge) to the gRPC port: refused, not served.
        using var http2 = new HttpClient { BaseAddress = stack.GrpcAddress, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        http2.DefaultRequestHeaders.Add("X-Auth-Token", "admin:admin");
        var response = await http2.GetAsync("/v2.1/servers");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("gRPC API only", await response.Content.ReadAsStringAsync());

        // A gRPC call on the REST port is told where gRPC is (UNIMPLEMENTED, trailers-only), and not served.
        var rest = stack.Client("admin:admin");
        using var grpcOnRest = new HttpRequestMessage(HttpMethod.Post, "/nova.compute.v1.Servers/ListServers")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        grpcOnRest.Content.Headers.ContentType = new("application/grpc");
        var refused = await rest.SendAsync(grpcOnRest);
        Assert.Equal("12", refused.Headers.GetValues("grpc-status").Single());
        Assert.Contains($"port {stack.GrpcAddress.Port}", Uri.UnescapeDataString(refused.Headers.GetValues("grpc-message").Single()));
        Assert.Empty(await refused.Content.ReadAsByteArrayAsync());
        // Nor does a REST-looking call to a gRPC method's path get an answer from the service.
        var (status, _) = await rest.Send(HttpMethod.Post, "/nova.compute.v1.Servers/ListServers", "{}");
        Assert.NotEqual(HttpStatusCode.OK, status);
    }

    private static CreateServerRequest With(CreateServerRequest valid, Action<CreateServerRequest> change)
    {
        var request = valid.Clone();
        change(request);
        return request;
    }
}
