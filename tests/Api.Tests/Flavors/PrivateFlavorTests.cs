using System.Net;
using System.Text.Json.Nodes;
using Grpc.Core;
using Nova.Api.Tests.Grpc;
using Nova.Api.Tests.Infrastructure;
using Nova.Compute.V1;

namespace Nova.Api.Tests.Flavors;

/// <summary>A private flavor whose access list does not name the caller's project: others get Nova's "not found", admins use it.</summary>
[Collection(StackCollection.Name)]
public sealed class PrivateFlavorTests(ControlPlaneStack stack)
{
    [Fact]
    public async Task A_member_can_neither_read_nor_boot_a_private_flavor_an_admin_can()
    {
        var admin = stack.Client("admin:admin");
        var member = stack.Client("pia:flavors");
        var flavor = "private-" + Guid.NewGuid().ToString("N")[..8];
        var (created, _) = await admin.Send(HttpMethod.Post, "/v2.1/flavors", new JsonObject
        {
            ["flavor"] = new JsonObject { ["id"] = flavor, ["name"] = flavor, ["ram"] = 64, ["vcpus"] = 1, ["disk"] = 1, ["os-flavor-access:is_public"] = false },
        });
        Assert.Equal(HttpStatusCode.OK, created);

        var (shown, body) = await member.Get($"/v2.1/flavors/{flavor}");
        Assert.Equal(HttpStatusCode.NotFound, shown);
        Assert.Equal($"Flavor {flavor} could not be found.", body!["itemNotFound"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await member.Get($"/v2.1/flavors/{flavor}/os-extra_specs")).Status);
        Assert.DoesNotContain(flavor, (await member.Get("/v2.1/flavors/detail")).Body!.ToJsonString());

        var events = await stack.EventCount();
        var (boot, refused) = await member.Send(HttpMethod.Post, "/v2.1/servers", new
        {
            server = new { name = "on-private", flavorRef = flavor, imageRef = ControlPlaneStack.DefaultImage, networks = "none" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, boot);
        Assert.Equal($"Flavor {flavor} could not be found.", refused!["badRequest"]!["message"]!.GetValue<string>());
        Assert.Equal(events, await stack.EventCount());

        using (var grpc = stack.Grpc("pia:flavors"))
        {
            var e = await GrpcCaller.Fails(() => grpc.Flavors.GetFlavorAsync(new GetFlavorRequest { FlavorId = flavor }).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, e.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await admin.Get($"/v2.1/flavors/{flavor}")).Status);
        var id = await admin.CreateServer("admin-on-private", flavor);
        await admin.WaitForStatus(id, "ACTIVE");
    }
}
