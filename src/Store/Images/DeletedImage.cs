namespace Nova.Store.Images;

/// <summary>
/// The id of an image that was deleted: as Glance, an image id is never registered again, so a host cache (or anyone
/// holding the id) can never mistake a new image for the old one.
/// </summary>
public sealed class DeletedImage
{
    public Guid Id { get; set; }
    public DateTimeOffset DeletedAt { get; set; }
}
