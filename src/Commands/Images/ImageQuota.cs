using Marten;
using Microsoft.Extensions.Configuration;
using Nova.Store.Images;

namespace Nova.Commands.Images;

/// <summary>
/// Glance's per-project image limits (<c>image_count_total</c>, <c>image_size_total</c>), from
/// <c>Nova:Images:Quota:Count</c> and <c>Nova:Images:Quota:TotalBytes</c> (-1: unlimited). Going over either is
/// Glance's 413, and nothing is stored.
/// </summary>
public sealed record ImageQuota(int Count, long TotalBytes)
{
    public static ImageQuota From(IConfiguration config) => new(
        config.GetValue<int?>("Nova:Images:Quota:Count") ?? 1000,
        config.GetValue<long?>("Nova:Images:Quota:TotalBytes") ?? 1L << 40);

    /// <summary>Refuses one more image record for the project.</summary>
    public async Task RequireRoomForImage(IQuerySession session, string project, CancellationToken ct)
    {
        if (Count < 0) return;
        var owned = await session.Query<ImageRecord>().CountAsync(i => i.OwnerProjectId == project, ct);
        if (owned >= Count) throw new ImageQuotaExceeded($"Request Entity Too Large: the project's image count quota ({Count}) is reached.");
    }

    /// <summary>How many bytes of data the project may still upload (long.MaxValue when unlimited).</summary>
    public async Task<long> BytesLeft(IQuerySession session, string project, CancellationToken ct)
    {
        if (TotalBytes < 0) return long.MaxValue;
        var used = await session.Query<ImageRecord>().Where(i => i.OwnerProjectId == project && i.Size != null).SumAsync(i => i.Size!.Value, ct);
        return Math.Max(0, TotalBytes - used);
    }
}

/// <summary>A project's image count or storage quota would be exceeded: Glance's 413.</summary>
public sealed class ImageQuotaExceeded(string message) : Exception(message);
