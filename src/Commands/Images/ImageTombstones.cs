using Marten;
using Nova.Store.Images;

namespace Nova.Commands.Images;

/// <summary>Deleted image ids, kept so none is registered again (<see cref="DeletedImage"/>).</summary>
public static class ImageTombstones
{
    /// <summary>Deletes the record in the caller's transaction and keeps its id.</summary>
    public static void Bury(IDocumentSession session, Guid imageId)
    {
        session.Delete<ImageRecord>(imageId);
        session.Store(new DeletedImage { Id = imageId, DeletedAt = DateTimeOffset.UtcNow });
    }

    public static async Task<bool> WasDeleted(IQuerySession session, Guid imageId, CancellationToken ct) =>
        await session.LoadAsync<DeletedImage>(imageId, ct) is not null;
}
