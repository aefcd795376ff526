using System.Net;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Servers;

/// <summary>accessIPv4 / accessIPv6 at create: Nova's ipv4 / ipv6 formats, kept on the server.</summary>
[Collection(StackCollection.Name)]
public sealed class CreateAccessAddressTests(ControlPlaneStack stack)
{
    private static object Body(string name, Dictionary<string, string> addresses) => new
    {
        server = new Dictionary<string, string>(addresses)
        {
            ["name"] = name, ["flavorRef"] = "1", ["imageRef"] = ControlPlaneStack.DefaultImage, ["networks"] = "none",
        },
    };

    [Fact]
    public async Task Addresses_given_at_create_are_the_servers()
    {
        var client = stack.Client("ada:access-ips");
        var (status, created) = await client.Send(HttpMethod.Post, "/v2.1/servers",
            Body("addressed", new() { ["accessIPv4"] = "1.1.1.1", ["accessIPv6"] = "2001:2001::3" }));
        Assert.Equal(HttpStatusCode.Accepted, status);
        var server = await client.Server(created!["server"]!["id"]!.GetValue<string>());
        Assert.Equal("1.1.1.1", server["accessIPv4"]!.GetValue<string>());
        Assert.Equal("2001:2001::3", server["accessIPv6"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("accessIPv4", "1.1.1.1.1")]
    [InlineData("accessIPv4", "2001:2001::3")]
    [InlineData("accessIPv6", "2001:2001::3::1")]
    [InlineData("accessIPv6", "1.1.1.1")]
    public async Task A_malformed_address_is_400_and_creates_nothing(string field, string value)
    {
        var client = stack.Client("ada:bad-access-ips");
        var (status, body) = await client.Send(HttpMethod.Post, "/v2.1/servers", Body("never", new Dictionary<string, string> { [field] = value }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(field, body!["badRequest"]!["message"]!.GetValue<string>());
        Assert.Empty((await client.Get("/v2.1/servers")).Body!["servers"]!.AsArray());
    }
}
