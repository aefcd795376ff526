using Marten;
using Mediator;
using Nova.Commands.Requests;
using Nova.Store.Images;

namespace Nova.Api.Images;

public sealed record GetImage(string Id) : IQuery<ImageRecord>;

public sealed class GetImageHandler(IQuerySession session, Caller caller) : IQueryHandler<GetImage, ImageRecord>
{
    public async ValueTask<ImageRecord> Handle(GetImage query, CancellationToken ct) => await Visible(session, caller, query.Id, ct);

    /// <summary>The image, when it exists and the caller may see it; Glance's 404 otherwise.</summary>
    public static async Task<ImageRecord> Visible(IQuerySession session, Caller caller, string id, CancellationToken ct)
    {
        var image = Guid.TryParse(id, out var guid) ? await session.LoadAsync<ImageRecord>(guid, ct) : null;
        return image is not null && image.IsVisibleTo(caller.ProjectId, caller.IsAdmin) ? image : throw new NotFound($"Image {id} could not be found.");
    }
}
