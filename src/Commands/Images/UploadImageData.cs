using System.Buffers;
using System.Collections.Concurrent;
using Marten;
using Mediator;
using Microsoft.Extensions.Configuration;
using Nova.Commands.Requests;
using Nova.DiskImages;
using Nova.Store.Images;

namespace Nova.Commands.Images;

/// <summary>
/// PUT /image/v2/images/{id}/file: streams <paramref name="Data"/> to a temporary file while hashing it,
/// checks it with qemu-img, and only then renames it into the store and marks the image active.
/// <paramref name="DeclaredMd5"/> comes from <c>Content-MD5</c> or <c>x-image-meta-checksum</c>.
/// </summary>
public sealed record UploadImageData(Guid Id, Stream Data, string? DeclaredMd5) : ICommand<ImageRecord>;

/// <summary>The image too big for the store's cap (<c>Nova:Images:MaxSizeBytes</c>): 413.</summary>
public sealed class ImageTooLarge(string message) : Exception(message);

/// <summary>Uploads running in this API process: one per image, and no delete under an upload.</summary>
public static class ImageUploads
{
    private static readonly ConcurrentDictionary<Guid, byte> Running = new();

    public static bool TryBegin(Guid id) => Running.TryAdd(id, 0);
    public static void End(Guid id) => Running.TryRemove(id, out _);
    public static bool InProgress(Guid id) => Running.ContainsKey(id);
}

public sealed class UploadImageDataHandler(IDocumentStore store, Caller caller, IConfiguration config, TimeProvider clock)
    : ICommandHandler<UploadImageData, ImageRecord>
{
    private const int BufferSize = 1 << 20;
    private const long DefaultMaxSize = 1L << 40; // Glance's image_size_cap: 1 TiB

    /// <summary>The store's cap on one image (<c>Nova:Images:MaxSizeBytes</c>).</summary>
    public static long MaxSize(IConfiguration config) => config.GetValue<long?>("Nova:Images:MaxSizeBytes") ?? DefaultMaxSize;

    public async ValueTask<ImageRecord> Handle(UploadImageData command, CancellationToken ct)
    {
        string? declaredMd5 = null;
        if (command.DeclaredMd5 is { Length: > 0 } declared)
            declaredMd5 = ImageDigests.Md5Hex(declared) ?? throw new InvalidRequest("Content-MD5 is neither an md5 in hex nor in base64.");

        await using var session = store.LightweightSession();
        var image = await Manageable(session, command.Id, ct);
        if (!ImageUploads.TryBegin(command.Id))
            throw new Conflict($"Image {command.Id} is already being uploaded.");
        var imageStore = new ImageStore(config);
        var partial = imageStore.NewPartialPath(command.Id);
        var final = imageStore.PathOf(command.Id);
        var placed = false;
        try
        {
            // The project's image storage quota bounds this upload as the store's cap does.
            var quotaLeft = await ImageQuota.From(config).BytesLeft(session, image.OwnerProjectId ?? caller.ProjectId, ct);
            var (size, md5, sha256) = await Receive(command.Data, partial, quotaLeft, ct);
            if (declaredMd5 is not null && declaredMd5 != md5)
                throw new InvalidRequest($"Checksum verification failed: declared md5 {declaredMd5}, received data has {md5}.");
            if (image.ExpectedHashValue is { } expected && expected != sha256)
                throw new InvalidRequest($"Checksum verification failed: declared sha256 {expected}, received data has {sha256}.");
            var info = await Inspect(partial, image.DiskFormat, ct);
            if (info.RefusalFor(image.DiskFormat) is { } refusal) throw new InvalidRequest($"Image data refused: {refusal.Detail}.");

            File.Move(partial, final, overwrite: true);
            placed = true;
            // Re-read: a record deleted meanwhile (by an admin elsewhere) must not come back.
            image = await session.LoadAsync<ImageRecord>(command.Id, ct) ?? throw new NotFound($"No image found with ID {command.Id}");
            image.Status = "active";
            image.Size = size;
            image.VirtualSize = info.VirtualSize;
            image.Checksum = md5;
            image.HashValue = sha256;
            image.UpdatedAt = clock.GetUtcNow();
            session.Store(image);
            await session.SaveChangesAsync(CancellationToken.None);
            return image;
        }
        catch
        {
            if (placed) File.Delete(final);
            throw;
        }
        finally
        {
            File.Delete(partial);
            ImageUploads.End(command.Id);
        }
    }

    private async Task<ImageRecord> Manageable(IDocumentSession session, Guid id, CancellationToken ct)
    {
        var image = await session.LoadAsync<ImageRecord>(id, ct);
        if (image is null || !image.IsVisibleTo(caller.ProjectId, caller.IsAdmin))
            throw new NotFound($"No image found with ID {id}");
        if (!image.IsManageableBy(caller.ProjectId, caller.IsAdmin))
            throw new Forbidden($"You are not authorized to upload data to image {id}.");
        if (image.Status != "queued")
            throw new Conflict($"Image status transition from {image.Status} to saving is not allowed");
        return image;
    }

    /// <summary>Copies the body to disk in 1 MiB chunks, hashing as it goes; never holds the image in memory.</summary>
    /// <summary>qemu-img's view of the data, probing the format rather than trusting the declared one.</summary>
    private static async Task<QemuImageInfo> Inspect(string path, string declaredFormat, CancellationToken ct)
    {
        try
        {
            return await new QemuImg().Info(path, ct);
        }
        catch (Exception e) when (e is QemuImgException { TimedOut: false } or FormatException)
        {
            throw new InvalidRequest($"Image data is not a valid {declaredFormat} image.");
        }
    }

    private async Task<(long Size, string Md5, string Sha256)> Receive(Stream data, string partial, long quotaLeft, CancellationToken ct)
    {
        var cap = MaxSize(config);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var digests = new ImageDigests();
        try
        {
            long size = 0;
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await data.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
                {
                    size += read;
                    if (size > cap) throw new ImageTooLarge($"Image exceeds the storage quota: the limit is {cap} bytes.");
                    if (size > quotaLeft) throw new ImageQuotaExceeded($"Request Entity Too Large: the project's image storage quota leaves {quotaLeft} bytes.");
                    digests.Append(buffer.AsSpan(0, read));
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                // On disk before it is renamed into place and announced active.
                file.Flush(flushToDisk: true);
            }
            var (md5, sha256) = digests.Finish();
            return (size, md5, sha256);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
