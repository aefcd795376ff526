using Grpc.Core;
using Nova.Api.Tests.Grpc;
using Nova.Compute.V1;

namespace Nova.Api.Tests.Identity;

/// <summary>gRPC with Keystone: the token travels as <c>x-auth-token</c> metadata and meets the same validation and policy as REST.</summary>
[Collection(KeystoneCollection.Name)]
public sealed class GrpcIdentityTests(KeystoneCloud cloud)
{
    [Fact]
    public async Task A_keystone_token_in_metadata_is_the_caller_and_a_missing_or_unknown_one_is_unauthenticated()
    {
        using var member = cloud.Stack.Grpc(cloud.MemberToken);
        var id = await member.Create("grpc-" + Guid.NewGuid().ToString("N")[..6]);
        var server = await member.Servers.GetServerAsync(new GetServerRequest { ServerId = id });
        Assert.Equal(cloud.OwnProjectId, server.ProjectId);

        using var anonymous = cloud.Stack.Grpc(token: null);
        Assert.Equal(StatusCode.Unauthenticated,
            (await GrpcCaller.Fails(() => anonymous.Flavors.ListFlavorsAsync(new ListFlavorsRequest()).ResponseAsync)).StatusCode);
        using var forged = cloud.Stack.Grpc("admin:admin"); // a noauth2 token means nothing to Keystone
        Assert.Equal(StatusCode.Unauthenticated,
            (await GrpcCaller.Fails(() => forged.Servers.GetServerAsync(new GetServerRequest { ServerId = id }).ResponseAsync)).StatusCode);
    }

    [Fact]
    public async Task A_reader_can_read_over_grpc_but_not_act()
    {
        using var member = cloud.Stack.Grpc(cloud.MemberToken);
        var id = await member.Create("grpc-read-" + Guid.NewGuid().ToString("N")[..6]);
        await member.WaitForStatus(id, "ACTIVE");

        using var reader = cloud.Stack.Grpc(cloud.ReaderToken);
        Assert.Equal(id, (await reader.Servers.GetServerAsync(new GetServerRequest { ServerId = id })).Id);
        var refused = await GrpcCaller.Fails(() => reader.Servers.StopServerAsync(new ServerActionRequest { ServerId = id }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal("ACTIVE", (await member.Servers.GetServerAsync(new GetServerRequest { ServerId = id })).Status);
    }
}
