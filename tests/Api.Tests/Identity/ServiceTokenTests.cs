using System.Net;
using Nova.Api.Tests.Infrastructure;
using Nova.ComputeWorker.Drivers.Libvirt;
using Nova.Keystone;

namespace Nova.Api.Tests.Identity;

/// <summary>Compute hosts fetch images from the API as the nova service user, with a token from Keystone.</summary>
[Collection(KeystoneCollection.Name)]
public sealed class ServiceTokenTests(KeystoneCloud cloud)
{
    [Fact]
    public async Task A_compute_host_downloads_a_projects_private_image_with_the_service_users_token()
    {
        using var member = cloud.Stack.Client(cloud.MemberToken);
        var (_, created) = await member.Send(HttpMethod.Post, "/image/v2/images",
            new { name = "for-a-host", disk_format = "raw", container_format = "bare", visibility = "private" });
        var id = created!["id"]!.GetValue<string>();
        var bytes = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 13)).ToArray();
        using (var upload = new ByteArrayContent(bytes) { Headers = { ContentType = new("application/octet-stream") } })
            Assert.Equal(HttpStatusCode.NoContent, (await member.PutAsync($"/image/v2/images/{id}/file", upload)).StatusCode);

        var settings = new KeystoneSettings { Url = cloud.Keystone.Url, User = "nova", Password = cloud.Keystone.ServicePassword, Project = "service" };
        var serviceToken = new ServiceToken(new KeystoneClient(new HttpClient(), settings), TimeProvider.System);
        var images = new ImageService(new HttpClient(), cloud.Stack.BaseAddress + "image", serviceToken.Get);
        var (format, sha256) = await images.Describe(id, CancellationToken.None);
        using var target = new MemoryStream();
        await images.Download(id, sha256, target, CancellationToken.None);

        Assert.Equal("raw", format);
        Assert.Equal(bytes, target.ToArray());
        // The same token is reused, not fetched per request.
        Assert.Equal(await serviceToken.Get(CancellationToken.None), await serviceToken.Get(CancellationToken.None));
    }

    [Fact]
    public async Task Without_a_token_the_image_service_refuses_the_host()
    {
        var images = new ImageService(new HttpClient(), cloud.Stack.BaseAddress + "image", "admin:admin"); // a noauth2 token
        var targets = await cloud.Targets();
        var error = await Assert.ThrowsAsync<Nova.ComputeWorker.Drivers.HypervisorError>(() => images.Describe(targets.Image, CancellationToken.None));
        Assert.Contains("401", error.Message);
    }
}
