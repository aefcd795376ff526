using Marten;
using Nova.Domain.Flavors;
using Nova.Store.Flavors;
using Nova.Store.Images;

namespace Nova.Api;

/// <summary>
/// Puts Nova's default flavors (m1.tiny … m1.xlarge) in an empty catalog and, when
/// <c>Nova:Images:Default</c> names one, registers a small default image so a new user can boot at once.
/// </summary>
public sealed class CatalogSeed(IDocumentStore store, IConfiguration config, TimeProvider clock) : IHostedService
{
    /// <summary>A fixed id, so the default image is the same on every run.</summary>
    public static readonly Guid DefaultImageId = Guid.Parse("8f4c3b2a-1d5e-4c6f-9a7b-0e1d2c3b4a59");

    public async Task StartAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var now = clock.GetUtcNow();
        if (!await session.Query<FlavorRecord>().AnyAsync(ct))
            foreach (var flavor in DefaultFlavors.All) session.Store(FlavorRecord.From(flavor, now));

        if (config["Nova:Images:Default"] is { Length: > 0 } name && await session.LoadAsync<ImageRecord>(DefaultImageId, ct) is null)
            session.Store(new ImageRecord
            {
                Id = DefaultImageId, Name = name, DiskFormat = "qcow2", ContainerFormat = "bare", Status = "active",
                Size = 21430272, VirtualSize = 117440512, CreatedAt = now, UpdatedAt = now,
            });
        await session.SaveChangesAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
