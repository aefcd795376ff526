using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Nova.ComputeWorker.Drivers.Libvirt;

/// <summary>
/// Reads images from the image service (Glance's v2 API): the image's record for its disk format, and its bytes,
/// streamed, resuming with <c>Range: bytes=N-</c> after a broken connection; and writes a snapshot's bytes into an image
/// the control plane created. Each request carries the token that
/// <paramref name="token"/> gives at that moment (with Keystone, the service user's, renewed before it expires).
/// </summary>
/// <param name="inactivityTimeout">A download that brings nothing for this long counts as a broken connection and is
/// resumed; when the last attempt stalls too the download fails as a <see cref="HypervisorError"/>.
/// <see cref="DefaultInactivityTimeout"/> when null.</param>
public sealed class ImageService(HttpClient http, string baseUrl, Func<CancellationToken, Task<string>> token,
    TimeSpan? inactivityTimeout = null)
{
    /// <summary>A fixed token (noauth2).</summary>
    public ImageService(HttpClient http, string baseUrl, string token, TimeSpan? inactivityTimeout = null)
        : this(http, baseUrl, _ => Task.FromResult(token), inactivityTimeout) { }

    public static readonly TimeSpan DefaultInactivityTimeout = TimeSpan.FromSeconds(60);
    private const int MaxAttempts = 5;
    private readonly TimeSpan stallTimeout = inactivityTimeout ?? DefaultInactivityTimeout;
    private readonly string root = baseUrl.TrimEnd('/');

    /// <summary>The image's declared disk format (e.g. qcow2, raw) and its sha256 (os_hash_value), when the service has one.</summary>
    public async Task<(string DiskFormat, string? Sha256)> Describe(string imageId, CancellationToken ct)
    {
        using var request = await Request($"{root}/v2/images/{Uri.EscapeDataString(imageId)}", ct);
        using var response = await http.SendAsync(request, ct);
        EnsureFound(response, imageId);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: ct);
        var format = json.RootElement.TryGetProperty("disk_format", out var f) && f.ValueKind == JsonValueKind.String
            ? f.GetString()!
            : throw new HypervisorError($"Image {imageId} has no disk_format.");
        var sha256 = json.RootElement.TryGetProperty("os_hash_value", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
        return (format, sha256);
    }

    /// <summary>
    /// Writes the image's bytes into <paramref name="target"/> (seekable, empty), then checks them against
    /// <paramref name="expectedSha256"/> when given: a corrupted or truncated transfer never reaches the cache.
    /// </summary>
    public async Task Download(string imageId, string? expectedSha256, Stream target, CancellationToken ct)
    {
        // Hashed as it arrives: the cache hands us a write-only stream.
        using var sha256 = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        await Transfer(imageId, target, sha256, ct);
        if (expectedSha256 is null) return;
        var actual = Convert.ToHexStringLower(sha256.GetHashAndReset());
        if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
            throw new HypervisorError($"Image {imageId} failed its checksum: sha256 {actual}, the image service says {expectedSha256}.");
    }

    private async Task Transfer(string imageId, Stream target, System.Security.Cryptography.IncrementalHash sha256, CancellationToken ct)
    {
        var uri = $"{root}/v2/images/{Uri.EscapeDataString(imageId)}/file";
        long written = 0;
        var buffer = new byte[1 << 20];
        for (var attempt = 1; ; attempt++)
        {
            using var request = await Request(uri, ct);
            if (written > 0) request.Headers.Range = new RangeHeaderValue(written, null);
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
            try
            {
                stall.CancelAfter(stallTimeout);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token);
                EnsureFound(response, imageId);
                if (written > 0 && response.StatusCode != HttpStatusCode.PartialContent)
                {
                    // The server ignored the range: start over from the first byte.
                    target.SetLength(0);
                    target.Position = 0;
                    written = 0;
                    sha256.GetHashAndReset();
                }
                await using var body = await response.Content.ReadAsStreamAsync(stall.Token);
                int read;
                while (true)
                {
                    stall.CancelAfter(stallTimeout);
                    if ((read = await body.ReadAsync(buffer, stall.Token)) == 0) break;
                    await target.WriteAsync(buffer.AsMemory(0, read), ct);
                    sha256.AppendData(buffer, 0, read);
                    written += read;
                }
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException
                                      && !ct.IsCancellationRequested && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Our own stall timer fired, nobody cancelled the build: a failed download, which another host may manage.
                throw new HypervisorError(
                    $"Download of image {imageId} stalled: no data for {stallTimeout.TotalSeconds:0.###} s, {MaxAttempts} attempts.");
            }
        }
    }

    /// <summary>
    /// Uploads <paramref name="path"/> as the data of image <paramref name="imageId"/> (Glance's <c>PUT …/file</c>); the
    /// record exists already, queued. The image service checks the data as it checks any upload.
    /// </summary>
    public async Task Upload(string imageId, string path, CancellationToken ct)
    {
        using var request = await Request($"{root}/v2/images/{Uri.EscapeDataString(imageId)}/file", ct, HttpMethod.Put);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        request.Content = new StreamContent(file, 1 << 20);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.ContentLength = file.Length;
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new HypervisorError($"Upload of image {imageId} failed: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    private async Task<HttpRequestMessage> Request(string uri, CancellationToken ct, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, uri);
        request.Headers.Add("X-Auth-Token", await token(ct));
        return request;
    }

    private static void EnsureFound(HttpResponseMessage response, string imageId)
    {
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new HypervisorError($"Image {imageId} could not be found.");
        if ((int)response.StatusCode is >= 400 and < 500)
            throw new HypervisorError($"Image {imageId} could not be read from the image service: HTTP {(int)response.StatusCode}.");
        // 5xx: worth another attempt
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"Image service answered HTTP {(int)response.StatusCode} for image {imageId}.");
    }
}
