using Microsoft.Extensions.Configuration;

namespace Nova.Commands.Images;

/// <summary>
/// The folder store on the API's host (<c>Nova:Images:StorePath</c>): an image's data is the file named
/// by its id; uploads land under a hidden temporary name in the same folder so the final rename is atomic.
/// </summary>
public sealed class ImageStore
{
    public const string DefaultPath = "/var/lib/nova-es/images";

    public ImageStore(IConfiguration config)
    {
        Root = Path.GetFullPath(config["Nova:Images:StorePath"] is { Length: > 0 } path ? path : DefaultPath);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(Guid imageId) => Path.Combine(Root, imageId.ToString());

    public string NewPartialPath(Guid imageId) => Path.Combine(Root, $".{imageId}.{Guid.NewGuid():N}.part");

    public void Remove(Guid imageId) => File.Delete(PathOf(imageId));
}
