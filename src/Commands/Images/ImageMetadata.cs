using Marten;
using Mediator;
using Nova.Commands.Quotas;
using Nova.Commands.Requests;
using Nova.Commands.Servers.Metadata;
using Nova.Store.Images;
using Nova.Store.Quotas;

namespace Nova.Commands.Images;

/// <summary>
/// The compute API's image metadata (<c>/images/{id}/metadata</c>): an image's additional properties, changed as
/// Nova changes them through Glance. <see cref="MetadataChange.Merge"/> adds to them, <see cref="MetadataChange.Replace"/>
/// replaces them all, <see cref="MetadataChange.Item"/> sets one. The answer is the properties after the change.
/// </summary>
public sealed record SetImageMetadata(Guid ImageId, IReadOnlyDictionary<string, string> Items, MetadataChange Change)
    : ICommand<IReadOnlyDictionary<string, string>>, IValidated
{
    public IEnumerable<string> Validate() => MetadataRules.Validate(Items);
}

/// <summary>Removes one property; 404 when the image has none of that name.</summary>
public sealed record DeleteImageMetadataItem(Guid ImageId, string Key) : ICommand<bool>;

public sealed class SetImageMetadataHandler(IDocumentStore store, Caller caller, QuotaDefaults quotas, TimeProvider clock)
    : ICommandHandler<SetImageMetadata, IReadOnlyDictionary<string, string>>
{
    public async ValueTask<IReadOnlyDictionary<string, string>> Handle(SetImageMetadata command, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var image = await ImageMetadataRules.Changeable(session, caller, command.ImageId, ct);
        var properties = command.Change == MetadataChange.Replace
            ? new Dictionary<string, string>(command.Items)
            : new Dictionary<string, string>(image.Properties);
        if (command.Change != MetadataChange.Replace)
            foreach (var (key, value) in command.Items) properties[key] = value;
        // Nova's check_img_metadata_properties_quota: the caller's metadata_items limit, 403.
        var limit = (await quotas.For(session, caller.ProjectId, ct)).MetadataItems;
        if (limit >= 0 && properties.Count > limit) throw new Forbidden("Image metadata limit exceeded");
        image.Properties = properties;
        image.UpdatedAt = clock.GetUtcNow();
        session.Store(image);
        await session.SaveChangesAsync(ct);
        return properties;
    }
}

public sealed class DeleteImageMetadataItemHandler(IDocumentStore store, Caller caller, TimeProvider clock)
    : ICommandHandler<DeleteImageMetadataItem, bool>
{
    public async ValueTask<bool> Handle(DeleteImageMetadataItem command, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var image = await ImageMetadataRules.Changeable(session, caller, command.ImageId, ct);
        if (!image.Properties.Remove(command.Key)) throw new NotFound("Invalid metadata key");
        image.UpdatedAt = clock.GetUtcNow();
        session.Store(image);
        await session.SaveChangesAsync(ct);
        return true;
    }
}

internal static class ImageMetadataRules
{
    /// <summary>The image, when the caller sees it (Nova's "Image not found." otherwise) and may change it (Glance's refusal, 403).</summary>
    public static async Task<ImageRecord> Changeable(IDocumentSession session, Caller caller, Guid id, CancellationToken ct)
    {
        var image = await session.LoadAsync<ImageRecord>(id, ct);
        if (image is null || !image.IsVisibleTo(caller.ProjectId, caller.IsAdmin)) throw new NotFound("Image not found.");
        if (!image.IsManageableBy(caller.ProjectId, caller.IsAdmin)) throw new Forbidden($"You are not authorized to change image {id}.");
        return image;
    }
}
