using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Store.Images;
using Microsoft.Extensions.Configuration;

namespace Nova.Commands.Images;

/// <summary>DELETE /image/v2/images/{id}: the record and its data.</summary>
public sealed record DeleteImage(Guid Id) : ICommand<bool>;

public sealed class DeleteImageHandler(IDocumentStore store, Caller caller, IConfiguration config)
    : ICommandHandler<DeleteImage, bool>
{
    public async ValueTask<bool> Handle(DeleteImage command, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var image = await session.LoadAsync<ImageRecord>(command.Id, ct);
        if (image is null || !image.IsVisibleTo(caller.ProjectId, caller.IsAdmin))
            throw new NotFound($"No image found with ID {command.Id}");
        if (!image.IsManageableBy(caller.ProjectId, caller.IsAdmin))
            throw new Forbidden($"You are not authorized to delete image {command.Id}.");
        if (ImageUploads.InProgress(command.Id))
            throw new Conflict($"Image {command.Id} is being uploaded; delete it when the upload has ended.");
        ImageTombstones.Bury(session, command.Id);
        await session.SaveChangesAsync(ct);
        // The record goes first: a crash between the two leaves an orphan file, never a record without data.
        new ImageStore(config).Remove(command.Id);
        return true;
    }
}
