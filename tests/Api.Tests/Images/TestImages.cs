using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Nova.Api.Tests.Infrastructure;

namespace Nova.Api.Tests.Images;

/// <summary>Images generated for a test with the real qemu-img and qemu-io, in a folder removed on dispose.</summary>
public sealed class TestImages : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("nova-test-images-").FullName;

    public string Path(string name) => System.IO.Path.Combine(folder, name);

    /// <summary>A 10 MiB qcow2 with 1 MiB of 0xab written at offset 0.</summary>
    public async Task<string> Qcow2(string name = "disk.qcow2", string? backingFile = null)
    {
        var path = Path(name);
        if (backingFile is null) await Run("qemu-img", "create", "-q", "-f", "qcow2", path, "10M");
        else await Run("qemu-img", "create", "-q", "-f", "qcow2", "-b", backingFile, "-F", "raw", path, "10M");
        await Run("qemu-io", "-f", "qcow2", "-c", "write -P 0xab 0 1M", path);
        return path;
    }

    public async Task<string> Raw(string name = "disk.raw", int megabytes = 2)
    {
        var path = Path(name);
        await File.WriteAllBytesAsync(path, Enumerable.Range(0, megabytes << 20).Select(i => (byte)(i * 7)).ToArray());
        return path;
    }

    public static async Task Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: {await stderr}");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

/// <summary>The Glance v2 calls an image client makes.</summary>
public static class ImageClient
{
    public static async Task<JsonNode> RegisterImage(this HttpClient client, object body)
    {
        var (status, image) = await client.Send(HttpMethod.Post, "/image/v2/images", body);
        Assert.True(status == HttpStatusCode.Created, $"create image: {status} {image?.ToJsonString()}");
        return image!;
    }

    public static async Task<HttpResponseMessage> UploadImage(this HttpClient client, string id, string file, Action<HttpRequestMessage>? configure = null)
    {
        await using var data = File.OpenRead(file);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/image/v2/images/{id}/file") { Content = new StreamContent(data) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        configure?.Invoke(request);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
