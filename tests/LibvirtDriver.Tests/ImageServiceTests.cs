using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nova.ComputeWorker.Drivers;
using Nova.ComputeWorker.Drivers.Libvirt;

namespace Nova.ComputeWorker.Libvirt.Tests;

/// <summary>Downloads from a real HTTP server (Kestrel) that can break the connection part-way.</summary>
public sealed class ImageServiceTests : IAsyncLifetime
{
    private readonly byte[] content = RandomNumberGenerator.GetBytes(3 << 20);
    private readonly List<string?> ranges = new();
    private WebApplication app = null!;
    private string url = "";
    /// <summary>Bytes the next full (non-range) answer sends before the connection is cut; 0 = never cut.</summary>
    private int cutAfter;
    private bool honourRange = true;
    /// <summary>Every answer sends this many bytes and then nothing, until the client goes; 0 = never stalls.</summary>
    private int stallAfter;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        app = builder.Build();
        app.MapGet("/image/v2/images/{id}/file", async (HttpContext http) =>
        {
            var range = (string?)http.Request.Headers.Range;
            lock (ranges) ranges.Add(range);
            if (http.Request.Headers["X-Auth-Token"] != "t") { http.Response.StatusCode = 401; return; }
            long from = 0;
            if (honourRange && range is not null && range.StartsWith("bytes=") && range.EndsWith('-'))
            {
                from = long.Parse(range[6..^1]);
                http.Response.StatusCode = 206;
                http.Response.Headers.ContentRange = $"bytes {from}-{content.Length - 1}/{content.Length}";
            }
            http.Response.ContentLength = content.Length - from;
            if (stallAfter > 0)
            {
                await http.Response.Body.WriteAsync(content.AsMemory((int)from, stallAfter));
                await http.Response.Body.FlushAsync();
                try { await Task.Delay(Timeout.Infinite, http.RequestAborted); } catch (OperationCanceledException) { }
                return;
            }
            var cut = Interlocked.Exchange(ref cutAfter, 0);
            if (cut > 0)
            {
                await http.Response.Body.WriteAsync(content.AsMemory((int)from, cut));
                await http.Response.Body.FlushAsync();
                http.Abort();
                return;
            }
            await http.Response.Body.WriteAsync(content.AsMemory((int)from));
        });
        await app.StartAsync();
        url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/image";
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<byte[]> Download(string token = "t", string? sha256 = null, TimeSpan? inactivityTimeout = null)
    {
        var service = new ImageService(new HttpClient(), url, token, inactivityTimeout);
        using var target = new MemoryStream();
        await service.Download("img", sha256, target, CancellationToken.None);
        return target.ToArray();
    }

    [Fact]
    public async Task A_download_whose_sha256_differs_from_the_services_is_refused_and_a_matching_one_passes()
    {
        var good = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await Download()));
        Assert.Equal(await Download(), await Download(sha256: good));
        var error = await Assert.ThrowsAsync<HypervisorError>(() => Download(sha256: new string('0', 64)));
        Assert.Contains("checksum", error.Message);
    }

    [Fact]
    public async Task An_image_is_downloaded_whole()
    {
        Assert.Equal(content, await Download());
        Assert.Equal([null], ranges);
    }

    [Fact]
    public async Task A_broken_download_resumes_from_the_byte_it_reached()
    {
        cutAfter = 1 << 20;

        var bytes = await Download();

        Assert.Equal(content, bytes);
        Assert.Equal(2, ranges.Count);
        Assert.Null(ranges[0]);
        Assert.StartsWith("bytes=", ranges[1]);
        Assert.True(long.Parse(ranges[1]![6..^1]) > 0);
    }

    [Fact]
    public async Task A_server_that_ignores_the_range_is_read_again_from_the_start()
    {
        cutAfter = 1 << 20;
        honourRange = false;

        Assert.Equal(content, await Download());
    }

    [Fact]
    public async Task A_refused_token_is_a_hypervisor_error_and_not_retried()
    {
        var error = await Assert.ThrowsAsync<HypervisorError>(() => Download("wrong"));

        Assert.Contains("401", error.Message);
        Assert.Single(ranges);
    }

    [Fact]
    public async Task A_download_that_stalls_on_every_attempt_fails_as_a_retryable_hypervisor_error_not_a_cancellation()
    {
        stallAfter = 4096;

        var error = await Assert.ThrowsAsync<HypervisorError>(() => Download(inactivityTimeout: TimeSpan.FromMilliseconds(300)));

        Assert.True(error.Retryable);
        Assert.Contains("stalled", error.Message);
        // Each stalled attempt was resumed from where it had got to (a busy machine may stall one before its first
        // bytes arrive: then the next resumes from the same place, never from an earlier one). At most 5 attempts; on
        // a busy machine the 300 ms timer may also fire before an attempt's request reaches this server at all.
        Assert.InRange(ranges.Count, 3, 5);
        var offsets = ranges.Skip(1).Select(r => long.Parse(r![6..^1])).ToList();
        Assert.Equal(4096, offsets[0]);
        Assert.All(offsets.Zip(offsets.Skip(1)), pair => Assert.True(pair.Second >= pair.First, $"resumed from {pair.Second} after {pair.First}"));
        Assert.True(offsets[^1] > offsets[0], "later attempts got further");
        Assert.All(offsets, o => Assert.Equal(0, o % 4096));
    }
}
