using Marten;
using Mediator;
using Nova.Commands.Images;
using Nova.Commands.Requests;
using Nova.Store.Images;

namespace Nova.Api.Images;

/// <summary>An image and the file holding its data, null while none has been uploaded.</summary>
public sealed record GetImageData(string Id) : IQuery<(ImageRecord Image, string? Path)>;

public sealed class GetImageDataHandler(IQuerySession session, Caller caller, IConfiguration config) : IQueryHandler<GetImageData, (ImageRecord Image, string? Path)>
{
    public async ValueTask<(ImageRecord Image, string? Path)> Handle(GetImageData query, CancellationToken ct)
    {
        var image = await GetImageHandler.Visible(session, caller, query.Id, ct);
        var path = new ImageStore(config).PathOf(image.Id);
        return (image, image.Status == "active" && File.Exists(path) ? path : null);
    }
}
