using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Nova.ComputeWorker.Libvirt.Tests;

/// <summary>A Glance-shaped image service on a free port serving files from a folder (test stand-in for src/Api/Images).</summary>
public sealed class ImageServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Dictionary<string, (string Path, string Format)> images = new();

    private ImageServer(WebApplication app) => this.app = app;

    public string Url { get; private set; } = "";
    public List<string?> Tokens { get; } = new();
    /// <summary>Image id → the file its uploaded data was written to.</summary>
    public Dictionary<string, string> Uploads { get; } = new();

    public static async Task<ImageServer> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new ImageServer(app);
        app.MapGet("/image/v2/images/{id}", (string id, HttpContext http) =>
        {
            lock (server.Tokens) server.Tokens.Add(http.Request.Headers["X-Auth-Token"]);
            return server.images.TryGetValue(id, out var image)
                ? Results.Json(new { id, disk_format = image.Format, status = "active" })
                : Results.NotFound();
        });
        app.MapGet("/image/v2/images/{id}/file", (string id) =>
            server.images.TryGetValue(id, out var image)
                ? Results.File(image.Path, "application/octet-stream", enableRangeProcessing: true)
                : Results.NotFound());
        // An upload (a snapshot) is kept in a file of its own, as the registry would after its checks.
        app.MapPut("/image/v2/images/{id}/file", async (string id, HttpContext http) =>
        {
            var path = Path.Combine(Path.GetTempPath(), $"uploaded-{id}-{Guid.NewGuid():N}");
            await using (var file = File.Create(path)) await http.Request.Body.CopyToAsync(file);
            lock (server.Uploads) server.Uploads[id] = path;
            return Results.NoContent();
        });
        await app.StartAsync();
        server.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/image";
        return server;
    }

    public void Add(string id, string path, string format) => images[id] = (path, format);

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        foreach (var path in Uploads.Values) File.Delete(path);
    }
}
